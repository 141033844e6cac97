"""Notebooks in another language from the English solutions and one PO file per notebook.

The English solution notebook is the only source of code. Its translatable text is cut into units:
each paragraph of a Markdown cell (blocks between blank lines; a fenced code block or a $$ display
stays whole and is not translated), and in code cells each comment and each string that a person
reads: docstrings, the strings given to print, titles, axis labels, legends, widget descriptions
(`SHOWN`), exceptions and the notebook's own functions, and prose held in variables (`code_units`).
A unit's English is the msgid of a gettext PO entry, its translation the msgstr:
solutions/<lang>/NN_name.po, edited with any PO editor. `update_po` merges the current English
into the PO, marking a translation whose English changed "fuzzy" as gettext's msgmerge does;
`translate` rebuilds the notebook with every unit replaced and raises TranslationError when a unit
is untranslated, fuzzy or malformed, so a stale translation cannot reach a learner. Code outside the
units is copied unchanged: `code_skeleton` (strings and comments blanked) is equal in both languages.
"""
from __future__ import annotations

import ast
import copy
import io
import re
import tokenize
from pathlib import Path

from .catalogs import DATE

# Calls whose string arguments a person reads (the last name of the called function or method).
SHOWN = {"print", "set_title", "title", "suptitle", "set_xlabel", "set_ylabel", "xlabel", "ylabel", "text",
         "annotate", "legend", "Markdown", "HTML", "set_label", "set_text", "figtext", "append", "warn",
         "set_xticklabels", "set_yticklabels", "xticks", "yticks"}
# ... as are the strings given to a function the notebook defines (a title for its own plotting function) and
# to an exception or a warning: code_units' `defined`, and names ending in these.
SHOWN_SUFFIXES = ("Error", "Exception", "Warning")
# Methods whose string arguments are compared with other strings: a string of the notebook that contains one
# of those as a word (`label.startswith("article")`) is a value the code tests, and stays as it is.
COMPARING = {"startswith", "endswith", "split", "rsplit", "replace", "find", "rfind", "index", "count", "strip",
             "lstrip", "rstrip", "partition", "rpartition", "get", "pop", "setdefault", "removeprefix",
             "removesuffix"}
SHOWN_KEYWORDS = {"label", "title", "description", "xlabel", "ylabel"}
FENCE = re.compile(r"^\s*(```|~~~)")
WORDS = re.compile(r"[A-Za-z]{2,}")
# Kept as they are by a translation: inline code and inline maths (either may wrap onto the next line), link
# targets, HTML tags, addresses.
INLINE = re.compile(r"`[^`]+`|\$\$[^$]+\$\$|\$[^$]+\$|\]\([^)\s]*\)|<[^>\n]+>|https?://\S+")
# A number of the English (97.5 %, 97.5% and 3个 all count as the number itself).
NUMBER = re.compile(r"(?<![A-Za-z0-9_.])-?\d+(?:[.,]\d+)*", re.ASCII)


NOTEBOOK_HEADER = """\
# A translation of one notebook of the course 深度学习与神经网络 (Deep Learning & Neural Networks).
# Each msgid is a paragraph, a comment or a shown string of the English solution notebook; write its msgstr.
# Keep code, maths, link targets, numbers, quotes and {expressions}; a fuzzy entry's English changed.
# python -m course translations --notebook NN lists what is left; python -m course build writes the notebooks."""


HELD_NOTE = ("held in a variable: translate it if a person reads it (a label, a printed line); keep it as it is "
             "(msgstr = msgid) if the code uses it as data (a model's input, a key)")


class TranslationError(ValueError):
    """A notebook that cannot be translated: units untranslated, stale (fuzzy) or malformed."""


# ----------------------------------------------------------------------------------------- units
def markdown_blocks(text: str) -> list[tuple[str, bool]]:
    """Cut Markdown into (piece, translatable) in order; joining the pieces gives `text` back.

    Blocks are separated by blank lines (kept as untranslatable pieces); a fenced code block and a
    `$$` display are whole blocks and untranslatable, as is a block without words outside code,
    maths, links' targets and tags."""
    lines = text.split("\n")
    pieces: list[list] = []  # [text, translatable]
    block: list[str] = []
    fence = math = False

    def flush():
        if block:
            body = "\n".join(block)
            plain = INLINE.sub(" ", body)
            worded = bool(WORDS.search(plain)) and not FENCE.match(block[0]) and block[0].strip() != "$$"
            pieces.append([body, worded])
            block.clear()

    for line in lines:
        if fence or math:
            block.append(line)
            if (fence and FENCE.match(line)) or (math and line.strip() == "$$"):
                fence = math = False
            continue
        if not line.strip():
            flush()
            pieces.append([line, False])
            continue
        if FENCE.match(line) or line.strip() == "$$":
            flush()
            block.append(line)
            fence, math = bool(FENCE.match(line)), line.strip() == "$$"
            continue
        block.append(line)
    flush()
    out = []  # rejoin with "\n" between pieces: a blank line is a piece of its own
    for i, (piece, worded) in enumerate(pieces):
        out.append((piece + ("\n" if i < len(pieces) - 1 else ""), worded))
    return out


def _masked(source: str) -> str:
    """The cell with IPython magics and shell lines (% or !) blanked, so that Python can parse it."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.split("\n"))


def _offsets(source: str):
    """(line, utf-8 byte column) -> character offset in `source`."""
    starts, total = [], 0
    lines = source.split("\n")
    for line in lines:
        starts.append(total)
        total += len(line) + 1

    def at(lineno: int, byte_col: int) -> int:
        line = lines[lineno - 1]
        return starts[lineno - 1] + len(line.encode("utf-8")[:byte_col].decode("utf-8", "replace"))

    return at


def defined_functions(nb) -> frozenset:
    """The names of the functions the code cells of `nb` define (their string arguments are shown text)."""
    names = set()
    for cell in nb.cells:
        if cell.cell_type == "code":
            try:
                tree = ast.parse(_masked(cell.source))
            except SyntaxError:
                continue
            names |= {n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return frozenset(names)


def _strings(node) -> list[str]:
    """The literal text of a string node (the constant parts of an f-string)."""
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    return [node.value] if isinstance(node, ast.Constant) and isinstance(node.value, str) else []


def compared_strings(nb) -> frozenset:
    """Every string the code cells of `nb` compare with (==, in, a subscript's key, str methods such as
    startswith): a shown string that contains one of them must stay as it is."""
    found = set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(_masked(cell.source))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            probes = []
            if isinstance(node, ast.Compare):
                probes = [node.left, *node.comparators]
            elif isinstance(node, ast.Subscript):
                probes = [node.slice]
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in COMPARING:
                probes = list(node.args)
            for probe in probes:
                items = probe.elts if isinstance(probe, (ast.List, ast.Tuple, ast.Set)) else [probe]
                found |= {text for item in items for text in _strings(item) if len(text.strip()) >= 2}
    return frozenset(found)


def code_units(source: str, defined: frozenset = frozenset(), compared: frozenset = frozenset()
               ) -> list[tuple[int, int, str, str]]:
    """(start, end, text, kind) of each translatable piece of a code cell, in order (kind: 'comment', 'string',
    or 'held string' for a string found by the last rule below, which the translator must judge): comments, docstrings, the
    strings of SHOWN calls, of exceptions and warnings, the strings with a space given to a function in
    `defined` (the notebook's own), and the other strings that read as words (a space and a word) held in
    variables, lists, dict values, conditional expressions and assert messages, unless given to another
    function (a value for that library), used as a key, or containing as a word a string in `compared`.
    Raises SyntaxError for a cell Python cannot parse."""
    masked = _masked(source)
    tree = ast.parse(masked)
    at = _offsets(masked)
    spans = []

    def add(node, kind="string"):
        start, end = at(node.lineno, node.col_offset), at(node.end_lineno, node.end_col_offset)
        spans.append((start, end, masked[start:end], kind))

    def is_text(node):
        return ((isinstance(node, ast.Constant) and isinstance(node.value, str) and WORDS.search(node.value))
                or isinstance(node, ast.JoinedStr))

    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and is_text(body[0].value):
                add(body[0].value)
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            shown = name in SHOWN or name.endswith(SHOWN_SUFFIXES)
            own = name in defined
            labels = [k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS]
            # a shown call's other keywords are settings (ha="center", loc="upper left", color="tab:blue")
            others = [*node.args, *(k.value for k in node.keywords if k.arg not in SHOWN_KEYWORDS and own)]
            for arg, any_text in [*((a, True) for a in labels), *((a, shown) for a in others if shown or own)]:
                items = arg.elts if isinstance(arg, (ast.List, ast.Tuple)) else [arg]
                for item in items:
                    # the own functions' strings only when they read as words: an argument such as "relu" or
                    # "x" is a value the code uses
                    if is_text(item) and (any_text or _spaced(item)):
                        add(item)
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}

    def held_as_text(node) -> bool:
        """A string that sits in a variable, a list, a dict value, a branch or an assert message, not given
        to a library, compared or used as a key."""
        if not _spaced(node) or any(re.search(rf"(?<!\w){re.escape(probe)}(?!\w)", text)
                                    for text in _strings(node) for probe in compared):
            return False
        child, parent = node, parents.get(node)
        while isinstance(parent, (ast.List, ast.Tuple, ast.Set, ast.Starred)):
            child, parent = parent, parents.get(parent)
        if isinstance(parent, ast.Dict):
            return any(value is child for value in parent.values)
        if isinstance(parent, (ast.keyword,)):
            return False  # a keyword of a call not handled above: a setting
        return not isinstance(parent, (ast.Call, ast.Compare, ast.Subscript, ast.Attribute, ast.JoinedStr,
                                       ast.FormattedValue, ast.Expr))

    for node in ast.walk(tree):
        if (isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))) \
                and held_as_text(node):
            add(node, "held string")
    line_starts = [0]
    for line in masked.split("\n"):
        line_starts.append(line_starts[-1] + len(line) + 1)
    for token in tokenize.generate_tokens(io.StringIO(masked).readline):  # comments: one line each
        if token.type == tokenize.COMMENT and WORDS.search(token.string):
            start = line_starts[token.start[0] - 1] + token.start[1]
            spans.append((start, start + len(token.string), token.string, "comment"))
    first = {}
    for span in sorted(spans):  # a string found by two rules is one unit, of the first rule's kind
        first.setdefault(span[:2], span)
    spans = sorted(first.values())
    return [s for s in spans if not any(o[0] <= s[0] and s[1] <= o[1] and o[:2] != s[:2] for o in spans)]


def _spaced(node) -> bool:
    """A string a person reads rather than a value code compares: it has a space between words."""
    texts = [v.value for v in node.values if isinstance(v, ast.Constant)] if isinstance(node, ast.JoinedStr) \
        else [node.value]
    return any(re.search(r"\s", t) and WORDS.search(t) for t in texts)


def units(nb) -> list[tuple[str, str, str]]:
    """(cell id, kind, English text) of every translatable unit of notebook `nb`, in order; kind is
    'markdown', 'comment', 'string' or 'held string' (see `code_units`)."""
    found, defined, compared = [], defined_functions(nb), compared_strings(nb)
    for index, cell in enumerate(nb.cells):
        cell_id = cell.get("id") or f"cell-{index}"
        if cell.cell_type == "markdown":
            found += [(cell_id, "markdown", piece.rstrip("\n")) for piece, worded in markdown_blocks(cell.source)
                      if worded]
        elif cell.cell_type == "code":
            found += [(cell_id, kind, text) for _, _, text, kind in code_units(cell.source, defined, compared)]
    return found


# --------------------------------------------------------------------------------- validation
def _shape(text: str, kind: str):
    """What a translation of this unit must keep: code spans, maths, link targets and tags, numbers
    (markdown); the kind of literal and its {expressions} (strings); the solution marker (comments)."""
    if kind == "markdown":
        keep = [" ".join(span.split()) for span in INLINE.findall(text)]  # a line break in maths is a space
        rest = INLINE.sub(" ", text)
        return sorted(keep), sorted(NUMBER.findall(rest))
    if kind == "comment":
        from .authoring import MARKER
        found = MARKER.match(text)
        return found["kind"] if found else None
    node = ast.parse("(" + text.strip() + "\n)", mode="eval").body  # (...): a literal continued over lines
    prefix = re.match(r"[A-Za-z]*", text.strip())[0].lower().replace("f", "")
    if isinstance(node, ast.JoinedStr):
        return "f" + prefix, sorted(ast.dump(v.value) + str(v.conversion) + ast.dump(v.format_spec or ast.Constant(""))
                                    for v in node.values if isinstance(v, ast.FormattedValue))  # in any order
    return type(node).__name__ + prefix, []


def unit_problem(english: str, kind: str, translation: str) -> str | None:
    """Why `translation` cannot stand for `english` (a unit of `kind`), or None."""
    if kind == "comment" and not translation.startswith("#"):
        return "a comment's translation must start with #"
    if kind == "comment" and "\n" in translation:
        return "a comment's translation must be one line"
    try:
        want, got = _shape(english, kind), _shape(translation, kind)
    except SyntaxError:
        return "the translation is not a Python string literal like the English one (keep its quotes and prefix)"
    if want == got:
        return None
    if kind == "markdown":
        (wcode, wnum), (gcode, gnum) = want, got
        if wcode != gcode:
            lost = sorted(set(wcode) - set(gcode)) or sorted(set(gcode) - set(wcode))
            return f"code, maths, link targets or tags differ from the English's: {lost[:3]}"
        missing = sorted(set(wnum) - set(gnum))
        return f"numbers of the English missing from the translation: {missing}" if missing else None
    if kind == "comment":
        return "the solution marker (### BEGIN/END SOLUTION) must stay as it is"
    return "the {expressions} or the kind of string literal differ from the English's"


# ---------------------------------------------------------------------------------- catalogs
def po_path(solutions: Path, lang: str, notebook_name: str) -> Path:
    return Path(solutions) / lang / (Path(notebook_name).stem + ".po")


def template(nb, name: str):
    """A babel Catalog (POT) of notebook `nb`'s units; `name` is its file name (locations)."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(project=Path(name).stem, creation_date=DATE, revision_date=DATE, fuzzy=False)
    for cell_id, kind, text in units(nb):
        note = [HELD_NOTE] if kind == "held string" else []
        catalog.add(text, locations=[(name, None)], auto_comments=[f"{kind} · cell {cell_id}", *note])
    return catalog


def update_po(nb, name: str, path: Path, locale: str) -> None:
    """Merge notebook `nb`'s units into the PO at `path` (created if missing); changed English -> fuzzy."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    from .catalogs import read

    catalog = read(path) if path.is_file() else Catalog(locale=locale, project=Path(name).stem, header_comment=NOTEBOOK_HEADER,
                                                        creation_date=DATE, revision_date=DATE, fuzzy=False)
    catalog.update(template(nb, name), update_header_comment=False)
    catalog.revision_date, catalog.fuzzy = DATE, False
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_by_file=False, include_previous=False, ignore_obsolete=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def problems(nb, catalog) -> list[str]:
    """One line per unit of `nb` that `catalog` leaves untranslated, fuzzy or malformed."""
    kinds = {}
    for cell_id, kind, text in units(nb):
        kinds.setdefault(text, (kind, cell_id))
    lines = []
    for text, (kind, cell_id) in kinds.items():
        message = catalog.get(text)
        where = f"cell {cell_id}, {kind} {text[:60]!r}"
        if message is None or not message.string:
            lines.append(f"{where}: not translated")
        elif message.fuzzy:
            lines.append(f"{where}: fuzzy (its English changed: update the translation, then remove the fuzzy flag)")
        else:
            problem = unit_problem(text, kind, message.string)
            if problem:
                lines.append(f"{where}: {problem}")
    return lines


JOINED_LINES = {"zh"}  # languages written without spaces between words
CJK = re.compile("[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
BLOCK_START = re.compile(r"\s*([-*+] |\d+[.)] |[|#>]|\$\$|```|~~~)")


def join_soft_breaks(text: str) -> str:
    """Chinese Markdown without the line breaks inside its sentences: a browser shows each one as a space
    between two 汉字 (CommonMark turns a soft break into a space). A break is removed where a 汉字 or Chinese
    punctuation mark touches it, unless either line is a heading, a table row, maths or code, or the next
    line starts a list item or another block."""
    lines = text.split("\n")
    out = [lines[0]]
    for line in lines[1:]:
        before = out[-1]
        joinable = (before.strip() and line.strip() and not BLOCK_START.match(line)
                    and not re.match(r"\s*([|#]|\$\$|```|~~~)", before)
                    and (CJK.match(before.rstrip()[-1]) or CJK.match(line.lstrip()[0])))
        if joinable:
            out[-1] = before.rstrip() + line.lstrip()
        else:
            out.append(line)
    return "\n".join(out)


def translate(nb, catalog, lang: str):
    """Notebook `nb` with every unit replaced by its translation in `catalog`; metadata
    course.language = lang. Raises TranslationError listing every problem (see `problems`)."""
    found = problems(nb, catalog)
    if found:
        raise TranslationError(f"{len(found)} unit(s) cannot be translated: " + "; ".join(found[:8])
                               + (" ..." if len(found) > 8 else ""))
    new, defined, compared = copy.deepcopy(nb), defined_functions(nb), compared_strings(nb)
    for cell in new.cells:
        if cell.cell_type == "markdown":
            join = join_soft_breaks if lang in JOINED_LINES else str
            cell.source = "".join(join(catalog.get(piece.rstrip("\n")).string) + piece[len(piece.rstrip("\n")):]
                                  if worded else piece for piece, worded in markdown_blocks(cell.source))
        elif cell.cell_type == "code":
            source = cell.source
            for start, end, text, _kind in reversed(code_units(source, defined, compared)):
                source = source[:start] + catalog.get(text).string + source[end:]
            cell.source = source
    new.metadata.setdefault("course", {})["language"] = lang
    return new


# ------------------------------------------------------------------------------ code identity
def code_skeleton(source: str) -> list[tuple[int, str]]:
    """A code cell's tokens with comments dropped and every string literal replaced by '""': equal for a
    cell and its translation. (f-strings are one token up to Python 3.11 and several after; both
    collapse to one placeholder.)"""
    out: list[tuple[int, str]] = []
    depth = 0
    fstring = getattr(tokenize, "FSTRING_START", None)
    for token in tokenize.generate_tokens(io.StringIO(_masked(source)).readline):
        if token.type in (tokenize.COMMENT, tokenize.NL):
            continue
        if fstring is not None and token.type == fstring:
            depth += 1
            if depth == 1:
                out.append((tokenize.STRING, '""'))
            continue
        if fstring is not None and token.type == tokenize.FSTRING_END:
            depth -= 1
            continue
        if depth:
            continue  # inside an f-string: its {expressions} are compared by `unit_problem`
        if token.type == tokenize.STRING:
            if out and out[-1] == (tokenize.STRING, '""'):
                continue  # implicit concatenation: one literal either way
            out.append((tokenize.STRING, '""'))
        else:
            out.append((token.type, token.string))
    magics = [line.strip() for line in source.split("\n") if line.lstrip().startswith(("%", "!"))]
    return out + [(-1, m) for m in magics]
