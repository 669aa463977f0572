"""The catalog, enrolment, "My learning" and the learner's own record."""
