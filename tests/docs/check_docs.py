#!/usr/bin/env python3
"""The manual must not drift from the program (issue 17).

  check_docs.py HELPMARK SOURCE_DIR reference   docs/cli-reference.md is what
                                                `helpmark manpage --markdown` prints now
  check_docs.py HELPMARK SOURCE_DIR options     every `helpmark COMMAND ... --option` written in
                                                README.md and docs/*.md is an option COMMAND has,
                                                and every command is explained in docs/
Exit 0 when they agree, 1 with file:line and what to do when not.
"""
import pathlib
import re
import subprocess
import sys


def generated_reference(helpmark):
    run = subprocess.run([helpmark, "manpage", "--markdown"], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"helpmark manpage --markdown failed ({run.returncode}): {run.stderr}")
    return run.stdout


def check_reference(helpmark, source):
    path = source / "docs" / "cli-reference.md"
    want = generated_reference(helpmark)
    have = path.read_text(encoding="utf-8") if path.exists() else ""
    if have == want:
        print(f"{path.relative_to(source)}: current")
        return 0
    have_lines, want_lines = have.splitlines(), want.splitlines()
    line = next((i for i, (a, b) in enumerate(zip(have_lines, want_lines)) if a != b),
                min(len(have_lines), len(want_lines)))
    print(f"docs/cli-reference.md:{line + 1}: error: out of date with the command definitions "
          f"(first difference: {have_lines[line] if line < len(have_lines) else '<end of file>'!r}, "
          f"now {want_lines[line] if line < len(want_lines) else '<end of file>'!r}); "
          f"regenerate it: build/dev/cli/helpmark manpage --markdown > docs/cli-reference.md")
    return 1


def commands_and_options(reference):
    """{"helpmark track search": {"--json", ...}} from the generated reference."""
    commands, current = {}, None
    for line in reference.splitlines():
        heading = re.match(r"^#{2,4} (helpmark(?: [a-z0-9-]+)*)$", line)
        if heading:
            current = heading.group(1)
            commands[current] = {"--help", "-h"}
            continue
        option = re.match(r"^- ((?:`-[^`]+`(?:, )?)+)", line)
        if option and current:
            commands[current].update(re.findall(r"`(-[^`]+)`", option.group(1)))
    return commands


def mentions(text):
    """(line number, command words and options) of each `helpmark ...` in code: fenced blocks
    line by line, inline `code spans`; a pipe, ;, && or || ends one command."""
    fence = False
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("```"):
            fence = not fence
            continue
        pieces = [line] if fence else re.findall(r"`([^`]+)`", line)
        for piece in pieces:
            piece = piece.split(" #", 1)[0] if fence else piece  # a shell comment
            for command in re.split(r"\|\||&&|[|;]", piece):
                words = command.split()
                for start, word in enumerate(words):
                    if word == "helpmark" or word.endswith("/helpmark"):
                        yield number, words[start + 1:]
                        break


def check_options(helpmark, source):
    commands = commands_and_options(generated_reference(helpmark))
    files = [source / "README.md"] + sorted((source / "docs").glob("*.md"))
    errors, explained = 0, set()
    for path in files:
        if path.name == "cli-reference.md":
            continue
        text = path.read_text(encoding="utf-8")
        for number, words in mentions(text):
            command = "helpmark"
            for word in words:
                if f"{command} {word}" in commands:
                    command = f"{command} {word}"
                elif not word.startswith("-"):
                    break
            explained.add(command)
            for word in words:
                option = word.split("=", 1)[0].rstrip(".,:)]")
                if not re.match(r"^--?[a-zA-Z][a-zA-Z0-9-]*$", option):
                    continue
                if option not in commands[command] and option not in commands["helpmark"]:
                    print(f"{path.relative_to(source)}:{number}: error: `{command}` has no option {option} "
                          f"(its options: {', '.join(sorted(commands[command]))}); "
                          f"fix the text or the command")
                    errors += 1
    for command in sorted(commands):
        leaf = not any(other.startswith(command + " ") for other in commands)
        if leaf and command != "helpmark" and command not in explained:
            print(f"docs: error: `{command}` is in the command reference but no example in README.md "
                  f"or docs/ uses it; show it where its topic is explained")
            errors += 1
    print(f"{len(files) - 1} documents, {len(commands)} commands checked: {errors} errors")
    return 1 if errors else 0


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in ("reference", "options"):
        sys.exit(__doc__)
    helpmark, source, what = sys.argv[1], pathlib.Path(sys.argv[2]), sys.argv[3]
    return check_reference(helpmark, source) if what == "reference" else check_options(helpmark, source)


if __name__ == "__main__":
    sys.exit(main())
