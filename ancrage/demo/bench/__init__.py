"""The HTTP bench (issue 16): the application served by gunicorn in production settings, measured as its users
get it. `report` holds the figures and their goals, `http` the client that signs in like a browser, `server`
the databases and the gunicorn it starts, `plan` what is asked of which user, `load` the locust step."""
