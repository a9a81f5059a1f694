"""The clerk panel's building blocks, shared by its routers (connectors/routers/clerk*.py):

auth.py     signed session cookie (itsdangerous), CSRF tokens, the ClerkPage / ClerkApi /
            ClerkForm dependencies (a page redirects to /clerk/login, an API answers 401)
html.py     the page layout and small escaping helpers (server-rendered HTML, no template engine)
cards.py    a matter's guidance card and the printable 一次性告知单 as HTML, from the catalog model
charts.py   small server-side SVG charts for the dashboard
wording.py  fixed text a citizen reads on the hall's pages (rating page, printed notice)
static/     clerk.css (screen + print) and clerk.js (suggest-as-you-type, small helpers)
"""
