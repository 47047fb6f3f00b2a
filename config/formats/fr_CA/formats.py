"""Québec French formats. Django's fr_CA module leaves the 'h' of '13 h 40' unescaped, so it prints the
12-hour hour instead of the letter; these override only the affected formats."""

TIME_FORMAT = "H\xa0\\h\xa0i"  # 13 h 40
DATETIME_FORMAT = "j F Y, H\xa0\\h\xa0i"  # 31 janvier 2024, 13 h 40
SHORT_DATETIME_FORMAT = "Y-m-d H\xa0\\h\xa0i"  # 2024-01-31 13 h 40
