"""Packaging: the library imports nothing from the web app or the optional extras, and a built wheel holds the
fee tables, the cost profiles and the web app's page, under feecalc and feecalc_api (no top-level `api`)."""

import subprocess
import sys
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ITEM = ("--price", "24.99", "--dims", "10x6x3in", "--weight", "1.2lb", "--category", "home_and_kitchen")
# the web, plot and dask extras' modules: a library install has none of them
EXTRAS = ("flask", "flask_smorest", "webargs", "werkzeug", "gunicorn", "swagger_ui_bundle", "orjson", "matplotlib",
          "dask")
WITHOUT = """
import importlib, pkgutil, sys
for name in sys.argv[1].split(","):
    sys.modules[name] = None  # importing it now raises ModuleNotFoundError, as when it is not installed
del sys.argv[1]
import feecalc
for module in pkgutil.walk_packages(feecalc.__path__, "feecalc."):
    importlib.import_module(module.name)
from feecalc.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _without(modules: tuple[str, ...], *argv: str, cwd: Path) -> subprocess.CompletedProcess:
    """Every library module imported, then `feecalc *argv` run, in a Python where `modules` cannot be imported."""
    return subprocess.run([sys.executable, "-c", WITHOUT, ",".join(modules), *argv], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def test_the_library_imports_nothing_from_the_web_app_or_the_extras(tmp_path):
    run = _without((*EXTRAS, "feecalc_api", "api"), "quote", *ITEM, "--on", "2026-05-01", "--json", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert '"total": "9.36"' in run.stdout


def test_serve_and_plot_without_their_extras_say_what_to_install(tmp_path):
    serve = _without(EXTRAS, "serve", "--port", "1", cwd=tmp_path)
    assert (serve.returncode, serve.stdout) == (2, "")
    assert serve.stderr == "feecalc: serve needs the web extra (no module named 'flask'): pip install 'feecalc[web]'\n"
    plot = _without(EXTRAS, "compare", *ITEM, "--plot", str(tmp_path / "p.png"), cwd=tmp_path)
    assert (plot.returncode, plot.stdout) == (2, "")
    assert plot.stderr == ("feecalc: compare --plot needs the plot extra (no module named 'matplotlib'): "
                           "pip install 'feecalc[plot]'\n")
    assert not (tmp_path / "p.png").exists()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    """The wheel as `python -m build` makes it: from the sdist, so a file the sdist leaves out is missing here too
    (about 10 to 20 s: an isolated build environment, then two builds)."""
    pytest.importorskip("build")
    out = tmp_path_factory.mktemp("dist")
    run = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)], capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    (path,) = out.glob("feecalc-*.whl")
    with zipfile.ZipFile(path) as zf:
        yield zf


@pytest.mark.wheel
def test_the_wheel_holds_the_code_and_the_data_under_feecalc_and_feecalc_api(wheel):
    names = set(wheel.namelist())
    expected = {f"feecalc/{p.relative_to(ROOT / 'feecalc').as_posix()}" for p in (ROOT / "feecalc").rglob("*.py")}
    expected |= {f"feecalc_api/{p.relative_to(ROOT / 'api').as_posix()}" for p in (ROOT / "api").rglob("*.py")}
    expected |= {f"feecalc/fee_tables/{p.relative_to(ROOT / 'fee_tables').as_posix()}"
                 for p in (ROOT / "fee_tables").rglob("*.toml")}
    expected |= {f"feecalc/profiles/{p.name}" for p in (ROOT / "feecalc" / "profiles").glob("*.toml")}
    expected |= {"feecalc_api/docs.html"}
    expected |= {f"feecalc_api/static/{p.name}" for p in (ROOT / "api" / "static").iterdir()}  # the page at /
    assert {n for n in expected if "__pycache__" not in n} - names == set()
    assert len([n for n in names if n.startswith("feecalc/fee_tables/")]) >= 8  # us, uk and de, in subfolders
    tops = {n.split("/", 1)[0] for n in names}
    assert tops - {n for n in tops if n.endswith(".dist-info")} == {"feecalc", "feecalc_api"}  # no `api`


@pytest.mark.wheel
def test_the_wheel_needs_only_the_library_dependencies_unless_an_extra_is_asked_for(wheel):
    (meta,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    requires = Parser().parsestr(wheel.read(meta).decode()).get_all("Requires-Dist")
    base = {r.split(">=")[0].split("[")[0].strip().lower() for r in requires if "extra ==" not in r}
    assert base == {"numpy", "pandas", "pyarrow", "marshmallow", "babel", "python-calamine", "xlsxwriter"}
    web = {r.split(">=")[0].strip().lower() for r in requires if 'extra == "web"' in r}
    assert {"flask", "flask-smorest", "gunicorn", "swagger-ui-bundle", "orjson"} <= web
