"""The ``docker run`` command line equivalent to a :class:`RunSpec`, so users learn the CLI as they click.

The line is shell-quoted (POSIX shells) and carries the Dockblocks label, as what the app starts does.
Several instances become a small ``for`` loop naming each one.
"""

from __future__ import annotations

import shlex

from desktop.engine.labels import DOCKBLOCKS_LABEL, DOCKBLOCKS_LABEL_VALUE
from desktop.engine.run_spec import RestartPolicy, RunSpec, memory_text


def command_line(spec: RunSpec, *, label: bool = True) -> str:
    """The ``docker run -d …`` line (or loop) that starts what ``spec`` describes.

    Args:
        spec: the settings.
        label: add ``--label org.dockblocks.created-by=dockblocks`` as the app does.
    """
    loop = spec.count > 1
    words = ["docker", "run", "-d"]
    name_word = ""
    if spec.name:
        name_word = f'"{spec.name}-$i"' if loop else shlex.quote(spec.name)
        words += ["--name", "\0name"]  # filled in after quoting: $i must stay unquoted
    for port in spec.ports:
        words += ["-p", port.text()]
    for name, value in spec.env:
        words += ["-e", f"{name}={value}"]
    for volume in spec.volumes:
        words += ["-v", volume.text(spec.base_dir)]
    if spec.restart is not RestartPolicy.NO:
        words += ["--restart", spec.restart.value]
    if spec.cpus is not None:
        words += ["--cpus", f"{spec.cpus:g}"]
    if spec.memory is not None:
        words += ["--memory", memory_text(spec.memory)]
    if label:
        words += ["--label", f"{DOCKBLOCKS_LABEL}={DOCKBLOCKS_LABEL_VALUE}"]
    words.append(spec.image or "IMAGE")
    try:
        words += spec.command_words()
    except ValueError:
        words.append(spec.command)  # unclosed quote: shown as typed (the dialog says what is wrong)
    line = " ".join(name_word if w == "\0name" else shlex.quote(w) for w in words)
    if not loop:
        return line
    return f"for i in $(seq 1 {spec.count}); do {line}; done"
