"""The player: a SCO in a frame with our SCORM API adapter, and the runtime endpoint it calls."""
