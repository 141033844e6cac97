"""Write solutions/instructor/misconceptions.md from the exercise registry.

    python scripts/misconceptions.py           # rewrite the file (and the Chinese one, solutions/instructor/zh/)
    python scripts/misconceptions.py --check   # exit 1 (and say why) when a file is not the output

Part 1 groups every named mistake (`Mistake`) of every exercise into misconceptions by keyword (GROUPS
below); a mistake no keyword matches goes to the last group, "Other one-off mistakes", so none is dropped.
Part 2 lists every exercise by notebook with its mistakes and each mistake's advice (`Mistake.hint`).
Exercises whose names start with "_" are registered by the tests only and are left out.
The Chinese file has the same groups (keywords match the English names); its mistakes and advice are the
run-time catalogs' Chinese (course/locale, exercises_NN), its headings the `zh` entries below.
tests/test_instructor_kit.py checks that the committed file is this script's output.
"""
import argparse
import difflib
import re
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

import course.checks.exercises  # noqa: E402,F401  (registers every exercise)
from course.checks import REGISTRY  # noqa: E402
from course.checks.core import HINT_LEVELS  # noqa: E402

NUMBER_WORDS = "zero one two three four five six seven eight nine ten".split()
OUT = ROOT / "solutions" / "instructor" / "misconceptions.md"
OUTS = {"en": OUT, "zh": ROOT / "solutions" / "instructor" / "zh" / "misconceptions.md"}

# Each group: its heading, an optional paragraph, `keywords` (regular expressions, case-insensitive, searched
# in the mistake's name) and `placed` ((exercise, regular expression) pairs: placements for one exercise,
# tried before every group's keywords). A mistake goes to the group of the first `placed` pair that matches,
# else to the first group (in this order) one of whose keywords matches, else to OTHER.
GROUPS = [
    {
        "title": "Softmax or an activation belongs in the model's output (输出层 output layer)",
        "zh": ("softmax或激活函数应该放在模型的输出层（output layer）",
               "网络应返回logits（未归一化的分数）；softmax属于损失函数，只应用一次。课程依据的文章在模型末尾加了"
               "softmax（损失函数再做一次就成了两次softmax），或在NumPy版本中加了ReLU（logits不能为负）；"
               "笔记本03、04、08和09测量了各自的代价。"),
        "intro": "The network should return logits (unnormalised scores); softmax belongs with the loss, applied "
                 "once. The article the course follows ends its models with softmax (a double softmax once the "
                 "loss applies its own) or, in NumPy, with ReLU (logits that cannot be negative); notebooks 03, "
                 "04, 08 and 09 measure what each costs.",
        "keywords": [r"softmax (applied twice|at the end|before the loss|on the last layer)",
                     r"returned softmax probabilities", r"applied an activation",
                     r"activation is applied to the output layer", r"(after|on) the last layer",
                     r"no logit can be negative", r"logits can no longer be negative"],
    },
    {
        "title": "Stacking layers is enough; the 激活函数 (activation function) between them is optional",
        "zh": ("只要堆叠层就够了，层间的激活函数（activation function）可有可无",
               "堆叠的线性层等于一个线性映射（笔记本02第1节）；缺少激活函数的神经元也会被检查发现。"),
        "intro": "Stacked linear layers are one linear map (notebook 02, section 1); a neuron without its "
                 "activation is also caught.",
        "keywords": [r"(activation|relu) between the layers", r"one linear map", r"the activation is missing"],
    },
    {
        "title": "The textbook formula is numerically fine (数值稳定性 numerical stability)",
        "zh": ("教科书上的公式在数值上没有问题（数值稳定性，numerical stability）",
               "`np.exp`在710附近溢出；softmax和sigmoid需要稳定的写法，交叉熵需要log-sum-exp技巧。"),
        "intro": "`np.exp` overflows near 710; softmax and sigmoid need the stable forms, cross-entropy the "
                 "log-sum-exp trick.",
        "keywords": [r"overflow", r"underflow", r"textbook"],
    },
    {
        "title": "The bias (偏置) is optional, or its sign/shape does not matter",
        "zh": ("偏置可有可无，或者它的符号、形状无关紧要", None),
        # Adam's bias correction is not the layer's bias: it goes with the optimisers (group 10).
        "keywords": [r"\bbias(es)?\b(?! correction)"],
        "placed": [("and_gate", r"always fires")],
    },
    {
        "title": "Axes, shapes and transposes sort themselves out (形状 shapes)",
        "zh": ("轴、形状和转置会自己理顺（形状，shapes）",
               "批量按行排列：`X @ W + b`，W的形状为(输入数, 输出数)；求和、求均值要用对轴和`keepdims`。"),
        "intro": "Batches are rows: `X @ W + b` with W of shape (inputs, outputs); reductions need the right "
                 "axis and `keepdims`.",
        "keywords": [r"\baxis\b", r"keepdims", r"\bshape\b", r"transpose", r"W\.T\b", r"swapped",
                     r"wrong order", r"whole array", r"never summed", r"over the samples",
                     r"n [x×] n block", r"whole column", r"\(V, n\)"],
        "placed": [("stft_magnitude", r"one frame too few"), ("confident_mistakes", r"positions in the list")],
    },
    {
        "title": "Sum or mean, count or fraction: the batch size does not matter",
        "zh": ("求和还是求均值、计数还是比例：批量大小无关紧要",
               "损失和梯度在批量上取平均；准确率是样本的比例，而不是批量的比例。"),
        "intro": "Losses and gradients are averaged over the batch; accuracy is a fraction of examples, not of "
                 "batches.",
        "keywords": [r"averag", r"\bsums?\b.*instead of", r"not summed", r"summed over the batch",
                     r"divided by n\b", r"not divided", r"mean over the batch", r"fraction",
                     r"number of correct", r"first batch", r"number of batches"],
        "placed": [("bag_of_words", r"how often")],
    },
    {
        "title": "A derivative, its function and the direction of a step are interchangeable (梯度 gradient)",
        "zh": ("导数和函数本身、更新步的方向可以互换（梯度，gradient）", None),
        "keywords": [r"derivative", r"\bsign\b", r"σ\(x\)", r"one-hot labels are not subtracted",
                     r"\bmask\b", r"chain rule", r"pre-activation", r"up the gradient", r"uphill"],
    },
    {
        "title": "Framework state looks after itself (PyTorch / Keras)",
        "zh": ("框架的状态会自己管好自己（PyTorch / Keras）",
               "`zero_grad`、`train()`/`eval()`、`no_grad`、分离的张量、`keras.Input`、Keras的权重布局和epsilon。"),
        "intro": "`zero_grad`, `train()`/`eval()`, `no_grad`, detached tensors, `keras.Input`, Keras's weight "
                 "layout and epsilon.",
        "keywords": [r"zero_grad", r"optimizer\.", r"model\.(train|eval)\(\)", r"detach", r"computational graph",
                     r"keras", r"set_weights", r"epsilon", r"β2"],
        "placed": [("build_keras_mlp", r"keras\.Input")],
    },
    {
        "title": "Data handling: shuffling, batches, labels (小批量 minibatch, 独热编码 one-hot)",
        "zh": ("数据处理：打乱、小批量、标签（小批量，minibatch；独热编码，one-hot）", None),
        "keywords": [r"shuffl", r"with replacement", r"smaller batch", r"in place", r"\bcount(ed|s)\b", r"off by one",
                     r"instead of k\b", r"column y - 1", r"tokens", r"cut sentences",
                     r"prediction is wrong"],
    },
    {
        "title": "Optimiser updates (优化器 optimisers): learning rate, momentum, Adam",
        "zh": ("优化器（optimizer）的更新：学习率、动量法、Adam", None),
        "keywords": [r"learning rate", r"\blr\b", r"velocity", r"\bmu\b", r"bias correction", r"square root",
                     r"\beps\b", r"only the first array"],
        "placed": [("adam_step", r"averages g instead of g \* g")],
    },
]
OTHER = {"title": "Other one-off mistakes", "intro": "Mistakes that fit none of the groups above.", "keywords": [],
         "zh": ("其他零散的错误", "不属于以上任何一组的错误。")}
ZH_HEADER = [
    "本文件由`python scripts/misconceptions.py`根据练习注册表（`import course.checks.exercises; from course.checks "
    "import REGISTRY`）和运行时消息的中文目录（course/locale）生成：不要手工编辑，请重新生成（`--check`会说明它"
    "是否为最新）。共{exercises}个练习、{mistakes}个有名字的错误（`Mistake`）。学习者在单元格里调用"
    "`check(\"<练习>\", fn)`时运行该练习的检查；当学习者的函数与某个已知错误的行为一致时，检查会说出这个错误的"
    "名字并给出建议，`python -m course grade`把它记为`wrong`，并给出错误的英文名字（`--json`的`mistake`字段）。"
    "其他错误答案没有名字，但会得到诊断：检查会在最小的失败用例上说明它与正确答案有何不同（差一个因子、转置了、"
    "只在负数输入上出错……）。每个练习还有{levels}级提示，用`hint(\"<练习>\")`逐级打开；`python -m course grade`"
    "会报告学习者打开了几级。",
    "第1部分把错误归为几类误解：每个错误列在名字（英文）首先匹配到关键词的那一组里（少数按练习指定），都不匹配时"
    "列在“其他”里；分组只看关键词，所以请读错误本身的描述。第2部分按笔记本列出每个练习、它的全部错误以及每个错误"
    "的建议。英文版见[../misconceptions.md](../misconceptions.md)。",
]


def exercises():
    """The course's exercises (not the tests' "_" ones), by notebook, each notebook's in registration order."""
    found = [ex for name, ex in REGISTRY.items() if not name.startswith("_")]
    return sorted(found, key=lambda ex: ex.notebook)


def group_of(exercise, mistake):
    """The index in GROUPS + [OTHER] of the group a mistake is listed under."""
    for i, group in enumerate(GROUPS):
        for name, pattern in group.get("placed", []):
            if name == exercise.name and re.search(pattern, mistake.name, flags=re.I):
                return i
    for i, group in enumerate(GROUPS):
        if any(re.search(pattern, mistake.name, flags=re.I) for pattern in group["keywords"]):
            return i
    return len(GROUPS)


def grouped(found):
    """(number, group, [(exercise, mistake), ...]) for each group of Part 1, OTHER only when it has members."""
    groups = GROUPS + [OTHER]
    members = [[] for _ in groups]
    for ex in found:
        for m in ex.mistakes:
            members[group_of(ex, m)].append((ex, m))
    return [(number, group, listed) for number, (group, listed) in enumerate(zip(groups, members), 1)
            if listed or group is not OTHER]


def by_notebook(found):
    """(heading lines, exercise) for Part 2: a "### notebook" heading before each notebook's first exercise."""
    notebook = None
    for ex in found:
        heading = ["", f"### {ex.notebook}", ""] if ex.notebook != notebook else []
        notebook = ex.notebook
        yield heading, ex


def render(lang="en"):
    """The text of misconceptions.md (lang "en") or of its Chinese edition (lang "zh")."""
    if lang == "zh":
        return render_zh()
    found = exercises()
    n_mistakes = sum(len(ex.mistakes) for ex in found)
    levels = len(HINT_LEVELS)
    levels = NUMBER_WORDS[levels] if levels < len(NUMBER_WORDS) else str(levels)
    header = [
        "Generated from the exercise registry (`import course.checks.exercises; from course.checks import "
        "REGISTRY`) by `python scripts/misconceptions.py`: do not edit it by hand, regenerate it (`--check` "
        f"says whether it is current). {len(found)} exercises, {n_mistakes} named mistakes (`Mistake`s). "
        "Each exercise's check runs when the learner's cell calls `check(\"<exercise>\", fn)`; when the "
        "learner's function behaves like a known mistake, the check names it and prints its hint, and "
        "`python -m course grade` reports it as `wrong` with the mistake's name (the `mistake` field of "
        "`--json`). Any other wrong answer is not named but diagnosed: the check says how it differs from the "
        "right answer (off by a factor, transposed, wrong only for negative inputs, ...) on the smallest "
        f"failing case. Each exercise also has {levels} hint levels, opened one at a time with "
        f"`hint(\"<exercise>\")` ({', then '.join(HINT_LEVELS)}); `python -m course grade` reports how many a "
        "learner opened.",
        "`tests/test_instructor_kit.py` fails when an exercise or a named mistake is registered but not "
        "mentioned here, when the counts above or an exercise's \"(N mistakes)\" in Part 2 differ from the "
        "registry's, and when this file is not what `python scripts/misconceptions.py` writes.",
        "Part 1 groups the mistakes into misconceptions: each mistake is listed under the first group whose "
        "keywords its name matches (a few are placed by exercise), and under \"Other\" when none does; the "
        "grouping is by keyword, so read the mistake's own words. Part 2 lists every exercise by notebook, "
        "with all its mistakes and the advice each one's hint gives.",
    ]
    out = ["# 常见误解 (Common misconceptions), and the check that catches each", ""]
    for paragraph in header:
        out += [textwrap.fill(paragraph, width=110, break_long_words=False, break_on_hyphens=False), ""]
    out.append("## Part 1: misconceptions")
    for number, group, listed in grouped(found):
        out += ["", f"### {number}. {group['title']}", ""]
        if group.get("intro"):
            out += [group["intro"], ""]
        out += [f"- {ex.notebook}, exercise `{ex.name}`: the `{ex.name}` check names “{m.name}”" for ex, m in listed]
    out += ["", "## Part 2: every exercise and its named mistakes (name, then the advice its hint gives)"]
    for heading, ex in by_notebook(found):
        out += heading
        n = len(ex.mistakes)
        out.append(f"- **`{ex.name}`** ({n} mistake{'' if n == 1 else 's'})")
        for m in ex.mistakes:
            out += [f"  - {m.name}", f"    - advice: {m.hint}"]
    return "\n".join(out) + "\n"


def render_zh():
    """The Chinese misconceptions.md: the same groups and order, the catalogs' Chinese for names and advice."""
    from course.i18n import _, using

    found = exercises()
    n_mistakes = sum(len(ex.mistakes) for ex in found)
    out = ["# 常见误解，以及发现每种误解的检查", ""]
    with using("zh"):
        for paragraph in ZH_HEADER:
            out += [paragraph.format(exercises=len(found), mistakes=n_mistakes, levels=len(HINT_LEVELS)), ""]
        out.append("## 第1部分：误解")
        for number, group, listed in grouped(found):
            title, intro = group["zh"]
            out += ["", f"### {number}. {title}", ""]
            if intro:
                out += [intro, ""]
            out += [f"- {ex.notebook}，练习`{ex.name}`：`{ex.name}`的检查会指出“{_(m.name)}”" for ex, m in listed]
        out += ["", "## 第2部分：每个练习及其有名字的错误（名字，然后是提示给出的建议）"]
        for heading, ex in by_notebook(found):
            out += heading
            out.append(f"- **`{ex.name}`**（{len(ex.mistakes)}个错误）")
            for m in ex.mistakes:
                out += [f"  - {_(m.name)}", f"    - 建议：{_(m.hint)}"]
    return "\n".join(out) + "\n"


def stale(current, text, limit=40):
    """What differs: the exercises and named mistakes the file lacks, then the changed lines (a diff)."""
    lines = []
    for ex in exercises():
        if f"`{ex.name}`" not in current:
            lines.append(f"  exercise not in the file: {ex.name}")
        lines += [f"  mistake not in the file: {ex.name}: {m.name}" for m in ex.mistakes if m.name not in current]
    diff = list(difflib.unified_diff(current.splitlines(), text.splitlines(), "committed", "generated",
                                     n=0, lineterm=""))
    if diff:
        lines += diff[:limit] + ([f"  ... and {len(diff) - limit} more diff lines"] if len(diff) > limit else [])
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 when the file differs from what would be written")
    args = parser.parse_args(argv)
    status = 0
    for lang, out in OUTS.items():
        text = render(lang)
        current = out.read_text(encoding="utf-8") if out.exists() else None
        rel = out.relative_to(ROOT)
        if args.check:
            if current != text:
                print(f"{rel} is stale: regenerate it with `python scripts/misconceptions.py`", file=sys.stderr)
                for line in stale(current or "", text) if lang == "en" else []:
                    print(line, file=sys.stderr)
                status = 1
            else:
                print(f"{rel} is current")
        elif current == text:
            print(f"{rel} is already current")
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
            print(f"wrote {rel}")
    return status


if __name__ == "__main__":
    sys.exit(main())
