"""A learner's relation to courses: enrolments, SCO attempts and the progress summary."""
