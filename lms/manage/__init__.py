"""Pages for administrators and course managers: package upload, course reports."""
