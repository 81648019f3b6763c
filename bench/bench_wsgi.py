"""The app as production runs it, plus one route for the benchmark's floor: the cheapest answer of the same stack."""

from quali_kompass import create_app

app = create_app()


@app.get("/_bench/hallo")
def bench_hello() -> str:
    return "Hallo"
