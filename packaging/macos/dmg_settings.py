"""dmgbuild settings for the Dockblocks disk image: the app beside a link to Applications, to drag it onto.

dmgbuild executes this file with its own defaults as globals, among them ``defines``: the ``-D key=value``
options of its command line. packaging/macos/build.sh runs

    dmgbuild -s packaging/macos/dmg_settings.py -D app=dist/Dockblocks.app -D icon=build/icons/Dockblocks.icns \
        "Dockblocks" dist/Dockblocks-<version>-macos-<arch>.dmg

Settings: https://dmgbuild.readthedocs.io/en/latest/settings.html
"""

import os.path

defines: dict[str, str] = globals()["defines"]

application = defines.get("app", "dist/Dockblocks.app")
app_name = os.path.basename(application)

# Compressed, read-only; readable on every macOS Dockblocks supports (UDBZ: bzip2; ULFO needs 10.11, ULMO 10.15).
format = defines.get("format", "UDBZ")  # noqa: A001 - dmgbuild reads this global by that name
files = [application]
symlinks = {"Applications": "/Applications"}
# The volume's own icon in the Finder: the app's icon, when build.sh made one.
icon = defines.get("icon") or None

# The window that opens with the image: the app on the left, an arrow, Applications on the right.
background = "builtin-arrow"
window_rect = ((200, 120), (640, 300))
default_view = "icon-view"
icon_size = 128
text_size = 13
icon_locations = {app_name: (160, 130), "Applications": (480, 130)}
show_status_bar = False
show_toolbar = False
show_pathbar = False
show_sidebar = False
hide_extensions = [app_name]
