"""LRS tables (statements, links, credentials); see the LRS issue."""
