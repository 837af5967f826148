"""The class server: a front end beside the desktop game and the terminal player, in which a
class plays a story in browsers and the teacher watches live (`python main.py serve`).

`database.py` (the tables, migrations), `classplay.py` (the class's play on the database,
driving the same `Session`), `security.py`, `forms.py`, `pages.py` (what each page shows),
`app.py` (the routes), `network.py` (the address and QR code), `launch.py` (listening, until
Ctrl-C). Only this package imports the web and database libraries.
"""
