"""English dates as the site has always shown them: ISO 8601, 24-hour clock. The other
languages use Django's formats for their locale (``settings.FORMAT_MODULE_PATH``)."""

DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i:s"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
