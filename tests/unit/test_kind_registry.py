"""Every monitor kind is reachable from its one declaration: the schema, validation,
egress check, executor dispatch, secrets walk, error taxonomy, OpenAPI document and the
dashboard's kinds listing all carry it, with nothing listed anywhere else."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import msgspec
import pytest

from services.api import egress_check
from services.api.routes import monitor_kinds
from shared import channels, egress, secret_fields
from shared.kinds import KINDS, REGISTRY
from shared.monitors import Kind, MonitorFields, MonitorPatch, validate
from shared.probes import ERROR_KINDS

ROOT = Path(__file__).resolve().parents[2]


def test_the_kinds_are_the_modules_of_the_package():
    modules = {p.stem for p in (ROOT / "shared" / "kinds").glob("*.py")} - {"__init__", "base"}
    assert set(KINDS) == modules
    assert set(typing.get_args(Kind)) == modules


@pytest.mark.parametrize("name", KINDS)
def test_each_kind_has_its_options_block_in_the_monitor_schema(name):
    kind = REGISTRY[name]
    fields = {f.name: f for f in msgspec.structs.fields(MonitorFields)}
    assert fields[name].type == kind.options | None
    assert name in {f.name for f in msgspec.structs.fields(MonitorPatch)}
    # The block round-trips through the schema with the kind's defaults.
    doc = {"name": "x", "kind": name, "target": kind.target_example, name: {}}
    decoded = msgspec.convert(doc, MonitorFields)
    assert isinstance(getattr(decoded, name), kind.options)


@pytest.mark.parametrize("name", KINDS)
def test_each_kind_validates_its_example_target_and_refuses_a_bad_one(name):
    kind = REGISTRY[name]
    good = MonitorFields(name="x", kind=name, target=kind.target_example)
    assert validate(good) == [], kind.target_example
    if kind.target != "none":
        bad = MonitorFields(name="x", kind=name, target="not a target")
        assert any(e.field == "target" for e in validate(bad))


@pytest.mark.parametrize("name", [k for k in KINDS if REGISTRY[k].target not in ("none", "name")])
def test_each_connecting_kind_has_its_target_judged_by_the_egress_policy(name):
    kind = REGISTRY[name]
    metadata = {
        "url": f"{kind.url_schemes[0]}://169.254.169.254/",
        "host_port": "169.254.169.254:80",
        "address": "169.254.169.254",
    }[kind.target]
    fields = MonitorFields(name="x", kind=name, target=metadata)
    errors = egress_check.monitor_errors(egress.Policy(), fields)
    assert [e.field for e in errors] == ["target"]


@pytest.mark.parametrize("name", KINDS)
def test_each_kind_reports_only_error_kinds_of_the_taxonomy(name):
    assert REGISTRY[name].error_kinds <= ERROR_KINDS


def test_each_kind_declared_secret_is_walked_by_the_sealing():
    for name, kind in REGISTRY.items():
        values = {s: f"value-of-{s}" for s in kind.secrets}
        fields = MonitorFields(name="x", kind=name, target=kind.target_example)
        fields = msgspec.structs.replace(fields, **{name: kind.options(**values)})
        found = secret_fields.monitor_secrets(fields)
        assert {f"{name}.{s}": v for s, v in values.items()}.items() <= found.items()
        masked = secret_fields.map_monitor(fields, lambda _path, _value: "MASKED")
        assert all(getattr(getattr(masked, name), s) == "MASKED" for s in kind.secrets)


def test_the_kinds_listing_describes_every_kind_and_its_form_fields():
    listed = {k.kind: k for k in monitor_kinds.KINDS.items}
    assert list(listed) == list(KINDS)
    for name, view in listed.items():
        options = {f.name for f in msgspec.structs.fields(REGISTRY[name].options)}
        assert {f.name for f in view.fields} <= options, name
        assert view.probed == (REGISTRY[name].probe is not None)


def test_http_form_defaults_come_from_the_options_struct():
    http = next(k for k in monitor_kinds.KINDS.items if k.kind == "http")
    defaults = {f.name: f.default for f in http.fields}
    assert defaults["method"] == "GET"
    assert defaults["accepted_status"] == ["200-299"]
    assert defaults["follow_redirects"] is True


def test_no_kind_name_is_listed_outside_its_module():
    """The place each kind is listed: its own module. A list of kind names anywhere else
    in the services or the dashboard would have to be edited for every new kind."""
    listing = '"http", "tcp"'
    for path in [
        *ROOT.glob("services/**/*.py"),
        *ROOT.glob("shared/**/*.py"),
        *ROOT.glob("cli/*.py"),
    ]:
        assert listing not in path.read_text(), path
    for path in (ROOT / "services" / "api" / "web" / "static").glob("*.js"):
        assert '"tcp"' not in path.read_text(), path


def test_the_dashboard_names_no_monitor_or_channel_kind():
    """The dashboard reads kinds, and which one a form starts at, from the listings. A
    channel kind may share its name with a form field or input type (email): only its
    use as a kind (compared, or chosen as a value) is refused."""
    as_kind = r'(===|!==|\?\?|\|\||value:)\s*"{}"'
    for path in (ROOT / "services" / "api" / "web" / "static").glob("*.js"):
        text = path.read_text()
        for name in KINDS:
            assert f'"{name}"' not in text, (path.name, name)
        for name in channels.KINDS:
            assert not re.search(as_kind.format(re.escape(name)), text), (path.name, name)


def test_one_kind_of_each_registry_is_where_a_new_form_starts():
    assert [k.name for k in REGISTRY.values() if k.preselected] == ["http"]
    assert [k.name for k in channels.REGISTRY.values() if k.preselected] == ["webhook"]
    listed = [k.kind for k in monitor_kinds.KINDS.items if k.preselected]
    assert listed == ["http"]
