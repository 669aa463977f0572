"""Mafunzo's packager: Markdown course sources in, SCORM / xAPI / cmi5 packages out."""
