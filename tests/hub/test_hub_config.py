"""The instructors' guide's sample Zero to JupyterHub configuration, book/hub/config.yaml.

It must parse, carry the keys an instructor relies on (image, resource guarantees and limits,
the course pull, the instructor role) with sensible values, and agree with the guide's
nbgitpuller link. (Checked once against the chart's own values.schema.yaml as well; the
schema is not vendored here.) A unit test: no hub is started.
"""

import re
import shlex
import urllib.parse
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "book" / "hub" / "config.yaml"
GUIDE = ROOT / "book" / "instructors.md"
COURSE = "surprise-to-vi-notebooks"
LINK = re.compile(r"https://\S+/hub/user-redirect/git-pull\?\S+")


@pytest.fixture(scope="module")
def config() -> dict:
    return yaml.safe_load(CONFIG.read_text(encoding="utf-8"))


def quantity(text) -> float:
    """A Kubernetes memory quantity (512M, 1G, 1Gi, ...) in bytes."""
    units = {"": 1, "K": 1e3, "M": 1e6, "G": 1e9, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
    number, unit = re.fullmatch(r"([\d.]+)([KMG]i?)?", str(text)).groups()
    return float(number) * units[unit or ""]


def link_parts(link: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(link).query))


def test_it_parses_with_the_expected_top_level_keys(config):
    assert set(config) == {"singleuser", "hub", "cull"}


def test_image_and_resources(config):
    user = config["singleuser"]
    assert user["image"]["name"] and isinstance(user["image"]["tag"], str)
    cpu, memory = user["cpu"], user["memory"]
    assert 0 < cpu["guarantee"] <= cpu["limit"]
    # A server and one lecture's kernel peak at about 310 MB (benchmarks/bench_hub.py).
    assert 310e6 <= quantity(memory["guarantee"]) <= quantity(memory["limit"])
    assert user["extraEnv"]["OPENBLAS_NUM_THREADS"] == "1"


def test_every_server_start_pulls_the_course_like_the_link(config):
    command = config["singleuser"]["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert command[:2] == ["sh", "-c"]
    words = shlex.split(command[2])
    assert words[0] == "gitpuller" and words[-2:] == ["||", "true"]
    repo, branch, target = words[1:4]
    assert target.endswith(f"/{COURSE}")

    hook_text = CONFIG.read_text(encoding="utf-8")
    links = LINK.findall(hook_text) + LINK.findall(GUIDE.read_text(encoding="utf-8"))
    assert len(links) >= 2, "the config's comment and the guide each show the course link"
    for link in links:
        parts = link_parts(link)
        assert parts["repo"] == repo and parts["branch"] == branch, link
        assert parts["urlpath"] == f"lab/tree/{COURSE}/01-surprise-and-entropy.ipynb", link


def test_the_instructor_role_can_collect(config):
    hub = config["hub"]
    role = hub["loadRoles"]["instructor"]
    # What the guide's collecting command needs: the class list and the students' servers.
    assert "read:groups!group=students" in role["scopes"]
    assert "access:servers" in role["scopes"]
    assert set(role["users"]) <= set(hub["config"]["Authenticator"]["admin_users"])
    assert hub["config"]["JupyterHub"]["load_groups"]["students"]["users"]


def test_the_guide_includes_this_file():
    assert "```{literalinclude} hub/config.yaml" in GUIDE.read_text(encoding="utf-8")
