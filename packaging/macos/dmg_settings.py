"""dmgbuild settings for the Dockblocks disk image: the app beside a link to Applications, to drag it onto.

dmgbuild executes this file with its own defaults as globals, among them ``defines``: the ``-D key=value``
options of its command line. packaging/macos/build.sh runs

    dmgbuild -s packaging/macos/dmg_settings.py -D app=dist/Dockblocks.app \
        -D icon=dist/Dockblocks.app/Contents/Resources/dockblocks.icns \
        "Dockblocks" dist/Dockblocks-<version>-macos-<arch>.dmg

Settings: https://dmgbuild.readthedocs.io/en/latest/settings.html
"""

import os.path

defines: dict[str, str] = globals()["defines"]

application = defines.get("app", "dist/Dockblocks.app")
app_name = os.path.basename(application)

# Compressed and read-only (bzip2), readable on every macOS. dmgbuild reads the name `format`.
format = defines.get("format", "UDBZ")
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
