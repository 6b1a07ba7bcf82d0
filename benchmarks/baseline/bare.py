"""The baseline for benchmarks/http.py: a bare Flask endpoint returning a constant JSON body."""

from flask import Flask

app = Flask(__name__)
BODY = '{"amount": "9.36", "currency": "USD"}'


@app.post("/v1/quotes")
def quotes():
    return app.response_class(BODY, mimetype="application/json")
