"""The SCORM run-time: the server-owned data model of 1.2 and 2004, attempts, and their xAPI."""
