"""The one resolver for prompt files and the rubric: finds the prompts folder, loads variants, renders templates.

Prompt text lives only in ``prompts/``; a template variable that is not supplied is an error.
"""

from __future__ import annotations

import hashlib
import string
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from . import config
from .errors import PromptError

DEFAULT_VARIANT = "default"


def prompts_dir() -> Path:
    """The prompts folder: ``AMENDS_PROMPTS_DIR``, else the copy shipped in the wheel, else the source tree's."""
    override = config.env("PROMPTS_DIR")
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent
    for candidate in (here / "_prompts", here.parent / "prompts"):
        if (candidate / "rubric.yaml").is_file():
            return candidate
    raise PromptError("prompts folder not found", hint="reinstall amends with `pip install .`")


def load_yaml(path: Path) -> Any:
    """Read a YAML file, turning every failure into a PromptError naming the file."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PromptError(f"missing prompt file {path}", hint="check the variant name with `amends variants`") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise PromptError(f"{path} is not valid YAML: {str(exc).splitlines()[0]}", hint="fix the file") from None


class PromptFile(BaseModel):
    """One prompt of a variant: a system message, a user template, and generation settings."""

    model_config = ConfigDict(extra="forbid")

    system: str
    user: str
    max_tokens: int = 256
    temperature: float = 0.0
    description: str = ""


class Variant(BaseModel):
    """A prompt variant: a folder under prompts/ with draft, critique, revise prompts and the letter templates."""

    name: str
    description: str
    draft: PromptFile
    critique: PromptFile
    revise: PromptFile
    letter: dict[str, str]
    phrases: dict[str, str]
    placeholders: dict[str, str]
    mode: str = "compose"
    digest: str = ""


def variables(template: str) -> set[str]:
    """The named placeholders in a ``{name}`` template."""
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def render(template: str, values: dict[str, Any], *, where: str = "template") -> str:
    """Fill a ``{name}`` template; a placeholder without a value raises PromptError."""
    missing = variables(template) - values.keys()
    if missing:
        raise PromptError(f"{where} needs {', '.join(sorted(missing))} but it was not supplied",
                          hint="pass the variable or remove it from the prompt file")
    return template.format_map(values)


@lru_cache(maxsize=16)
def _load_variant(root: str, name: str) -> Variant:
    folder = Path(root) / name
    if not folder.is_dir():
        known = ", ".join(list_variants(Path(root))) or "none"
        raise PromptError(f"unknown prompt variant {name!r}", hint=f"use one of: {known}")
    meta = load_yaml(folder / "variant.yaml") or {}
    prompts: dict[str, PromptFile] = {}
    digest = hashlib.sha256()
    for step in ("draft", "critique", "revise"):
        path = folder / f"{step}.yaml"
        raw = load_yaml(path)
        digest.update(path.read_bytes())
        try:
            prompts[step] = PromptFile.model_validate(raw)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(map(str, err["loc"]))
            raise PromptError(f"{path}: {where}: {err['msg']}", hint="fix the prompt file") from None
    letter_path = folder / "letter.yaml"
    letter = load_yaml(letter_path)
    digest.update(letter_path.read_bytes())
    digest.update((Path(root) / "rubric.yaml").read_bytes())
    if not isinstance(letter, dict) or not isinstance(letter.get("templates"), dict):
        raise PromptError(f"{letter_path} must have `templates` mapping channel names to templates",
                          hint="fix the prompt file")

    def strings(key: str) -> dict[str, str]:
        return {str(k): str(v) for k, v in (letter.get(key) or {}).items()}

    return Variant(name=name, description=str(meta.get("description", "")), mode=str(meta.get("mode", "compose")),
                   letter=strings("templates"), phrases=strings("phrases"), placeholders=strings("placeholders"),
                   digest=digest.hexdigest()[:12], **prompts)


def load_variant(name: str = DEFAULT_VARIANT) -> Variant:
    """Load a prompt variant by folder name (``default``, ``freeform`` …)."""
    return _load_variant(str(prompts_dir()), name)


def list_variants(root: Path | None = None) -> list[str]:
    """Names of the prompt variants available."""
    base = root or prompts_dir()
    return sorted(p.name for p in base.iterdir() if (p / "variant.yaml").is_file())
