#!/usr/bin/env python3
"""Copy the precompiled GOV.UK Frontend and MOJ Frontend files, and the annual report's fonts,
from node_modules into build/static.

Run `npm ci` first (the Makefile does both). The result, served by Django's staticfiles
(settings.STATICFILES_DIRS includes build/static), is:

    /static/vendor/govuk/govuk-frontend.min.css  GOV.UK Frontend styles
    /static/vendor/govuk/govuk-frontend.min.js   GOV.UK Frontend, an ES module (type="module")
    /static/vendor/govuk/assets/...              fonts, images (favicon.ico...), manifest.json
    /static/vendor/moj/moj-frontend.min.css      MOJ Frontend styles
    /static/vendor/moj/moj-frontend.min.js       MOJ Frontend, an ES module (type="module")
    /static/vendor/moj/assets/images/...         MOJ images
    /static/vendor/fonts/source-sans-3/...       the annual report PDF's fonts (TrueType), with
                                                 their licence (annual_report/fonts.py)

The precompiled stylesheets refer to their fonts and images as absolute `/assets/...` URLs;
the copies point them at `/static/vendor/<package>/assets/...` instead. Every rewritten URL is
checked against the copied files, so a package upgrade that moves a file fails the build here
rather than in the browser.

Standard library only: it runs before (and without) the virtualenv.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "build" / "static" / "vendor"
STATIC_URL = "/static/"

# (package name, required major version, folder holding the dist files, vendor folder name,
#  {source file name: destination file name})
PACKAGES = [
    (
        "govuk-frontend",
        5,
        "dist/govuk",
        "govuk",
        {
            "govuk-frontend.min.css": "govuk-frontend.min.css",
            "govuk-frontend.min.js": "govuk-frontend.min.js",
            "govuk-frontend.min.js.map": "govuk-frontend.min.js.map",
        },
    ),
    (
        "@ministryofjustice/frontend",
        None,
        "moj",
        "moj",
        {
            "moj-frontend.min.css": "moj-frontend.min.css",
            "moj-frontend.min.js": "moj-frontend.min.js",
            "moj-frontend.min.js.map": "moj-frontend.min.js.map",
        },
    ),
]

# The annual report PDF prints in these fonts and no other (annual_report/fonts.py names the
# same files): (package name, required major version, vendor folder under fonts/,
#  the files to copy, from the package's folder).
FONT_PACKAGES = [
    (
        "@expo-google-fonts/source-sans-3",
        0,
        "source-sans-3",
        [
            "400Regular/SourceSans3_400Regular.ttf",
            "400Regular_Italic/SourceSans3_400Regular_Italic.ttf",
            "700Bold/SourceSans3_700Bold.ttf",
            "700Bold_Italic/SourceSans3_700Bold_Italic.ttf",
            "LICENSE_FONT",  # the SIL Open Font License travels with the fonts
        ],
    ),
]
TRUETYPE_MAGIC = (b"\x00\x01\x00\x00", b"OTTO", b"true")

URL_PATTERN = re.compile(r"""url\(\s*(['"]?)/assets/([^'")\s]+)\1\s*\)""")
SOURCE_MAP_COMMENT = re.compile(r"/\*#\s*sourceMappingURL=[^*]*\*/\s*$")


class BuildError(Exception):
    pass


def package_version(package_dir: Path) -> str:
    manifest = package_dir / "package.json"
    if not manifest.is_file():
        raise BuildError(f"{package_dir} is missing: run `npm ci` first (or `make assets`).")
    return json.loads(manifest.read_text(encoding="utf-8"))["version"]


def rewrite_css(css: str, vendor_name: str, dest: Path) -> tuple[str, int]:
    """Point /assets/... URLs at /static/vendor/<vendor_name>/assets/... and check each exists."""
    prefix = f"{STATIC_URL}vendor/{vendor_name}/assets/"
    missing: list[str] = []
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        quote, rest = match.group(1), match.group(2)
        target = rest.split("?", 1)[0].split("#", 1)[0]
        if not (dest / "assets" / target).is_file():
            missing.append(f"/assets/{rest}")
        count += 1
        return f"url({quote}{prefix}{rest}{quote})"

    css = URL_PATTERN.sub(replace, css)
    if missing:
        raise BuildError(f"{vendor_name}: stylesheet refers to missing {sorted(set(missing))}")
    leftover = re.findall(r"""url\(\s*['"]?/assets/""", css)
    if leftover:
        raise BuildError(f"{vendor_name}: {len(leftover)} /assets/ URLs were not rewritten")
    # The rewrite shifts every column after it, so the published source map no longer matches:
    # drop the reference rather than ship a misleading map.
    css = SOURCE_MAP_COMMENT.sub("", css).rstrip() + "\n"
    return css, count


def build_package(
    name: str, major: int | None, dist: str, vendor_name: str, files: dict[str, str]
) -> list[str]:
    package_dir = NODE_MODULES / name
    version = package_version(package_dir)
    if major is not None and int(version.split(".", 1)[0]) != major:
        raise BuildError(f"{name} {version} is installed, but version {major}.x is required")
    source = package_dir / dist
    dest = VENDOR / vendor_name
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)

    if not (source / "assets").is_dir():
        raise BuildError(f"{source / 'assets'} is missing from {name} {version}")
    shutil.copytree(source / "assets", dest / "assets")

    report = []
    for src_name, dest_name in files.items():
        src = source / src_name
        if not src.is_file():
            raise BuildError(f"{src} is missing from {name} {version}")
        if dest_name.endswith(".css"):
            css, count = rewrite_css(src.read_text(encoding="utf-8"), vendor_name, dest)
            (dest / dest_name).write_text(css, encoding="utf-8")
            report.append(f"{dest_name} ({count} asset URLs rewritten)")
        else:
            shutil.copy2(src, dest / dest_name)
            report.append(dest_name)
    (dest / "VERSION").write_text(f"{name} {version}\n", encoding="utf-8")
    return [f"{name} {version} -> {dest.relative_to(ROOT)}/"] + [f"  {line}" for line in report]


def build_fonts(name: str, major: int, vendor_name: str, files: list[str]) -> list[str]:
    """Copy font files, flat, into vendor/fonts/<vendor_name>/, each checked to be TrueType or
    OpenType (WeasyPrint loads those without converting them)."""
    package_dir = NODE_MODULES / name
    version = package_version(package_dir)
    if int(version.split(".", 1)[0]) != major:
        raise BuildError(f"{name} {version} is installed, but version {major}.x is required")
    dest = VENDOR / "fonts" / vendor_name
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for file in files:
        src = package_dir / file
        if not src.is_file():
            raise BuildError(f"{src} is missing from {name} {version}")
        if src.suffix in {".ttf", ".otf"} and src.read_bytes()[:4] not in TRUETYPE_MAGIC:
            raise BuildError(f"{src} is not a TrueType or OpenType font")
        shutil.copy2(src, dest / src.name)
    (dest / "VERSION").write_text(f"{name} {version}\n", encoding="utf-8")
    return [f"{name} {version} -> {dest.relative_to(ROOT)}/ ({len(files)} files)"]


def main() -> int:
    try:
        lines: list[str] = []
        for package in PACKAGES:
            lines.extend(build_package(*package))
        for package in FONT_PACKAGES:
            lines.extend(build_fonts(*package))
    except BuildError as exc:
        print(f"build_assets: {exc}", file=sys.stderr)
        return 1
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
