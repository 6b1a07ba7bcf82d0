"""HTTP layer (issue 4): a thin Flask app over `feecalc.quote` and `feecalc.cost_frame`; no fee logic here."""
