"""Translation of course content: gettext catalogs per course, checks, XLIFF, translated courses."""
