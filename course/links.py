"""Links a workshop hands out: Binder (launch link and README badge) and a JupyterHub nbgitpuller link.

    python -m course links https://github.com/<owner>/<repo> [--branch main] [--hub https://hub.example.org]

Pure string work with urllib.parse; nothing is fetched. The forms are mybinder.org's
(`/v2/gh/<owner>/<repo>/<ref>` for GitHub, `/v2/git/<url-encoded clone URL>/<ref>` for any other git
host) and nbgitpuller's (`<hub>/hub/user-redirect/git-pull?repo=...&branch=...&urlpath=...`).
Without a repository, :func:`run` (the command) asks git for this checkout's remote 'origin'.
"""
from __future__ import annotations

import re
import subprocess
from pathlib import Path
from urllib.parse import quote, urlsplit

from .i18n import _

FIRST_NOTEBOOK = "notebooks/00_welcome.ipynb"
BINDER = "https://mybinder.org"
BADGE_IMAGE = "https://mybinder.org/badge_logo.svg"
CHECKOUT = Path(__file__).resolve().parent.parent  # the course's folder: its git remote is the default repository


class LinkError(ValueError):
    """A repository or hub address that these links cannot be built from; the message says why."""


def _repository(url: str) -> tuple[str, str]:
    """(clean clone URL without a trailing .git or /; an ssh remote becomes https, repository name) or LinkError."""
    if not isinstance(url, str) or not url.strip():
        raise LinkError(_("repository: expected its public URL, e.g. {example}, got {value}.").format(
            example="https://github.com/<owner>/<repo>", value=repr(url)))
    url = url.strip()
    ssh = re.fullmatch(r"git@([^:/]+):(.+)", url)  # git@github.com:owner/repo.git, as `git remote` prints it
    if ssh:
        url = f"https://{ssh.group(1)}/{ssh.group(2)}"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path.strip("/") == "":
        raise LinkError(_("repository: expected an https URL with a path, e.g. {example}, got {value}.").format(
            example="https://github.com/<owner>/<repo>", value=repr(url)))
    path = re.sub(r"\.git$", "", parts.path.rstrip("/"))
    return f"{parts.scheme}://{parts.netloc}{path}", path.rsplit("/", 1)[-1]


def binder_url(repository: str, branch: str = "main", path: str = FIRST_NOTEBOOK) -> str:
    """mybinder.org link that builds `repository` at `branch` and opens `path` in JupyterLab."""
    url, _name = _repository(repository)
    github = re.fullmatch(r"https?://(?:www\.)?github\.com/([^/]+)/([^/]+)", url)
    where = f"gh/{github.group(1)}/{github.group(2)}" if github else f"git/{quote(url, safe='')}"
    return f"{BINDER}/v2/{where}/{quote(branch, safe='')}?urlpath={quote('lab/tree/' + path, safe='/')}"


def binder_badge(repository: str, branch: str = "main", path: str = FIRST_NOTEBOOK) -> str:
    """The Markdown line of a README's "launch binder" badge."""
    return f"[![Binder]({BADGE_IMAGE})]({binder_url(repository, branch, path)})"


def nbgitpuller_url(hub: str, repository: str, branch: str = "main", path: str = FIRST_NOTEBOOK) -> str:
    """JupyterHub link: the first click clones `repository` into the learner's home, later clicks update it
    (keeping the learner's changes), then `path` opens in JupyterLab. nbgitpuller clones into a folder named
    after the repository."""
    parts = urlsplit(hub.strip() if isinstance(hub, str) else "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LinkError(_("hub: expected the hub's https address, e.g. {example}, got {value}.").format(
            example="https://hub.example.org", value=repr(hub)))
    url, name = _repository(repository)
    base = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
    return (f"{base}/hub/user-redirect/git-pull?repo={quote(url, safe='')}&branch={quote(branch, safe='')}"
            f"&urlpath={quote(f'lab/tree/{name}/{path}', safe='/')}")


def _origin_url():
    """This checkout's `git remote get-url origin`, or None (no git, not a clone, no remote)."""
    try:
        out = subprocess.run(["git", "-C", str(CHECKOUT), "remote", "get-url", "origin"],
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    url = out.stdout.strip()
    return url if out.returncode == 0 and url else None


def run(repository: str | None = None, branch: str = "main", hub: str | None = None) -> int:
    """`python -m course links`: print the Binder link and badge for `repository` (default: this checkout's
    remote 'origin') at `branch`, and with `hub` the nbgitpuller link. Returns the exit status: 0, or 1 after
    one line saying what is wrong (no remote, or an address these links cannot be built from)."""
    repository = repository or _origin_url()
    if repository is None:
        print(_("links: this checkout has no git remote 'origin'; give the repository's public URL: {command}").format(
            command="python -m course links https://github.com/<owner>/<repo>"))
        return 1
    try:
        lines = [_("Binder (builds environment.yml, opens {notebook}):").format(notebook=FIRST_NOTEBOOK),
                 "  " + binder_url(repository, branch),
                 _("README badge:"), "  " + binder_badge(repository, branch)]
        if hub:
            lines += [_("JupyterHub (nbgitpuller: clones on the first click, updates later, keeps learners' "
                        "changes):"),
                      "  " + nbgitpuller_url(hub, repository, branch)]
    except LinkError as e:
        print(_("links: {error}").format(error=e))
        return 1
    print("\n".join(lines))
    return 0
