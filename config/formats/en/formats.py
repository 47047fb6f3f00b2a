"""Canadian English formats: ISO dates in short form, as in Québec French, and the 24-hour clock."""

SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
DATETIME_FORMAT = "F j, Y, H:i"
TIME_FORMAT = "H:i"
