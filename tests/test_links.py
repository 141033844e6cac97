"""course.links and `python -m course links`: Binder link and badge, nbgitpuller link."""
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from course import cli, links
from course.links import LinkError, binder_badge, binder_url, nbgitpuller_url

GH = "https://mybinder.org/v2/gh/someone/dl-course/main?urlpath=lab/tree/notebooks/00_welcome.ipynb"


@pytest.mark.parametrize("repo", ["https://github.com/someone/dl-course", "https://github.com/someone/dl-course.git",
                                  "https://github.com/someone/dl-course/", "git@github.com:someone/dl-course.git",
                                  " https://www.github.com/someone/dl-course ", "http://github.com/someone/dl-course"])
def test_github_forms_give_one_binder_link(repo):
    assert binder_url(repo) == GH


def test_other_hosts_use_the_encoded_clone_url():
    url = binder_url("https://gitlab.com/team/dl-course.git", branch="workshop")
    head, query = url.split("?")
    prefix = "https://mybinder.org/v2/git/"
    assert head.startswith(prefix) and head.endswith("/workshop")
    assert unquote(head[len(prefix):-len("/workshop")]) == "https://gitlab.com/team/dl-course"
    assert parse_qs(query) == {"urlpath": ["lab/tree/notebooks/00_welcome.ipynb"]}


def test_badge_is_markdown_image_link():
    assert binder_badge("https://github.com/someone/dl-course") == f"[![Binder](https://mybinder.org/badge_logo.svg)]({GH})"


def test_nbgitpuller_link_round_trips():
    link = nbgitpuller_url("https://hub.example.org/", "git@github.com:someone/dl-course.git", branch="main")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.example.org", "/hub/user-redirect/git-pull")
    assert parse_qs(parts.query) == {"repo": ["https://github.com/someone/dl-course"], "branch": ["main"],
                                     "urlpath": ["lab/tree/dl-course/notebooks/00_welcome.ipynb"]}


@pytest.mark.parametrize("repo", ["", "github.com/someone/x", "ftp://host/x", "https://github.com", None])
def test_bad_repository_says_what_arrived(repo):
    with pytest.raises(LinkError, match="repository: expected") as info:
        binder_url(repo)
    assert repr(repo.strip() if isinstance(repo, str) else repo) in str(info.value)


def test_bad_hub_says_what_arrived():
    with pytest.raises(LinkError, match="hub: expected .* got 'hub.example.org'"):
        nbgitpuller_url("hub.example.org", "https://github.com/a/b")


def test_cli_prints_all_three(capsys):
    assert cli.main(["links", "https://github.com/someone/dl-course", "--hub", "https://hub.example.org"]) == 0
    out = capsys.readouterr().out
    assert GH in out and "[![Binder]" in out and "/hub/user-redirect/git-pull?repo=" in out


def test_cli_without_remote_asks_for_the_url(monkeypatch, capsys):
    monkeypatch.setattr(links, "_origin_url", lambda: None)
    assert cli.main(["links"]) == 1
    assert "no git remote 'origin'" in capsys.readouterr().out


def test_cli_uses_the_remote(monkeypatch, capsys):
    monkeypatch.setattr(links, "_origin_url", lambda: "git@github.com:someone/dl-course.git")
    assert cli.main(["links"]) == 0
    assert GH in capsys.readouterr().out


def test_cli_bad_url_is_one_line(capsys):
    assert cli.main(["links", "ftp://x"]) == 1
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "got 'ftp://x'" in out
