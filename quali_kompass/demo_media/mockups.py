"""HTML mock-ups of the Jobcenter applications that the demo guides and videos show.

Everything here is fictional: the screens imitate the kind of software a Jobcenter uses (E-Akte, VerBIS, ALLEGRO,
the jobcenter.digital inbox, video consultation, an e-mail client) with sample people such as Erika Mustermann.
Elements a guide step points at carry a ``data-hl`` attribute; the generator measures them for the highlight.
"""

from __future__ import annotations

from html import escape

WIDTH, HEIGHT = 1280, 800
BG = "12345BG0001234"
CUSTOMER_NUMBER = "123D456789"

# Line icons on a 24×24 grid (stroked paths).
ICONS = {
    "inbox": "M3 13h5l2 3h4l2-3h5M5 5h14l2 8v6H3v-6z",
    "folder": "M3 6h6l2 2h10v11H3z",
    "file": "M6 3h9l4 4v14H6zM15 3v4h4",
    "search": "M10.5 4a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13zM15.5 15.5 21 21",
    "star": "M12 3l2.8 5.8 6.2.9-4.5 4.4 1 6.2L12 17.3l-5.5 3 1-6.2L3 9.7l6.2-.9z",
    "mail": "M3 6h18v12H3zM3 6l9 7 9-7",
    "lock": "M6 11h12v10H6zM8 11V8a4 4 0 0 1 8 0v3",
    "user": "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21c1-4 4.5-6 8-6s7 2 8 6",
    "users": "M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM2 20c.8-3.5 3.6-5 7-5s6.2 1.5 7 5M16 4.5a3.5 3.5 0 0 1 0 6.5"
    "M18 15c2 .6 3.4 2 4 5",
    "video": "M3 7h12v10H3zM15 10l6-3v10l-6-3",
    "mic": "M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM5 11a7 7 0 0 0 14 0M12 18v3",
    "phone": "M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2z",
    "print": "M6 9V3h12v6M6 18H4v-7h16v7h-2M6 14h12v7H6z",
    "filter": "M3 4h18l-7 8v7l-4 2v-9z",
    "refresh": "M20 11a8 8 0 1 0-2.3 5.7M20 4v7h-7",
    "clip": "M21 11l-8.5 8.5a5 5 0 0 1-7-7L14 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L15 7",
    "check": "M4 12l5 5L20 6",
    "right": "M5 12h14M13 6l6 6-6 6",
    "left": "M19 12H5M11 6l-6 6 6 6",
    "reply": "M10 8L4 13l6 5M4 13h10a6 6 0 0 1 6 6",
    "forward": "M14 8l6 5-6 5M20 13H10a6 6 0 0 0-6 6",
    "send": "M3 11l18-8-8 18-2-8z",
    "calendar": "M4 6h16v15H4zM4 10h16M8 3v4M16 3v4",
    "plus": "M12 5v14M5 12h14",
    "screen": "M3 4h18v12H3zM8 21h8M12 16v5",
    "chat": "M4 4h16v12H8l-4 4z",
    "gear": "M12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6zM12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9 7 7M17 17l2.1 2.1M4.9 19.1 7 17"
    "M17 7l2.1-2.1",
    "bell": "M6 16v-5a6 6 0 0 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0",
    "home": "M3 11l9-8 9 8M5 10v10h14V10",
    "clock": "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 7v5l3 2",
    "euro": "M17 6a7 7 0 1 0 0 12M4 10h9M4 14h9",
    "down": "M6 9l6 6 6-6",
    "chev": "M9 6l6 6-6 6",
    "x": "M6 6l12 12M18 6 6 18",
    "minus": "M5 12h14",
    "square": "M6 6h12v12H6z",
    "bookmark": "M6 3h12v18l-6-4-6 4z",
    "list": "M8 6h13M8 12h13M8 18h13M3 6h1M3 12h1M3 18h1",
    "download": "M12 3v12M7 10l5 5 5-5M4 21h16",
    "upload": "M12 15V3M7 8l5-5 5 5M4 21h16",
    "briefcase": "M3 7h18v13H3zM8 7V4h8v3",
    "calc": "M5 3h14v18H5zM8 7h8M8 11h2M12 11h2M16 11v6M8 15h2M12 15h2",
    "save": "M5 3h12l2 2v16H5zM8 3v6h8V3M8 21v-7h8v7",
    "undo": "M9 14L4 9l5-5M4 9h11a5 5 0 0 1 0 10h-3",
    "eye": "M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12zM12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6z",
    "shield": "M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z",
    "info": "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 11v6M12 7.5v.5",
    "warn": "M12 3l10 18H2zM12 10v5M12 18v.5",
    "grid": "M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z",
    "more": "M5 12h.5M12 12h.5M19 12h.5",
    "table": "M3 5h18v14H3zM3 10h18M3 15h18M9 5v14",
    "link": "M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1",
}


def icon(name: str, size: int = 16, stroke: float = 1.8) -> str:
    """An inline SVG line icon."""
    return (
        f'<svg class="i" width="{size}" height="{size}" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
        f'stroke-width="{stroke}" stroke-linecap="round" stroke-linejoin="round"><path d="{ICONS[name]}"/></svg>'
    )


BASE_CSS = """
* { box-sizing: border-box; }
html, body { margin: 0; width: 1280px; height: 800px; overflow: hidden; }
body { font: 13px/1.35 "Liberation Sans", Arial, Helvetica, sans-serif; color: #1f2328; background: #fff;
  -webkit-font-smoothing: antialiased; }
.i { display: inline-block; vertical-align: -3px; flex: none; }
.win { position: relative; display: flex; flex-direction: column; width: 1280px; height: 800px; }
.tb { height: 32px; display: flex; align-items: center; background: #f3f3f3; border-bottom: 1px solid #d9d9d9;
  font-size: 12px; color: #222; flex: none; }
.tb-logo { width: 18px; height: 18px; margin: 0 8px 0 10px; border-radius: 3px; color: #fff; font: bold 10px/18px
  "Liberation Sans", Arial; text-align: center; }
.tb-title { white-space: nowrap; }
.tb-ctl { margin-left: auto; display: flex; height: 32px; }
.tb-ctl span { width: 46px; display: grid; place-items: center; color: #333; }
.tb-ctl .x:hover { background: #c42b1c; }
.modal { position: absolute; inset: 0; background: rgba(20, 28, 38, .28); display: grid; place-items: center; }
.btn { display: inline-flex; align-items: center; gap: 6px; padding: 5px 12px; border: 1px solid #b8bec6;
  border-radius: 3px; background: linear-gradient(#fff, #f1f3f5); color: #1f2328; font-size: 12.5px;
  white-space: nowrap; }
.btn.primary { background: #0b5cad; border-color: #094d91; color: #fff; }
.badge { display: inline-block; min-width: 18px; padding: 0 6px; border-radius: 9px; background: #d1e4f7;
  color: #0b4a8b; font-size: 11px; font-weight: bold; line-height: 17px; text-align: center; }
.field { display: flex; align-items: center; gap: 6px; height: 28px; padding: 0 8px; border: 1px solid #9aa3ad;
  border-radius: 2px; background: #fff; font-size: 13px; }
.field.focus { border-color: #0b5cad; box-shadow: 0 0 0 2px rgba(11, 92, 173, .25); }
.caret { display: inline-block; width: 1px; height: 15px; background: #111; margin-left: 1px; vertical-align: -3px; }
.muted { color: #6a737d; }
.ok { color: #1a7f37; }
.warn { color: #b35900; }
.err { color: #c62828; }
table { border-collapse: collapse; width: 100%; }
"""

BROWSER_CSS = """
.br-tabs { height: 38px; display: flex; align-items: flex-end; background: #dfe3e8; padding-left: 8px; flex: none; }
.br-tab { width: 232px; height: 31px; display: flex; align-items: center; gap: 8px; padding: 0 10px;
  border-radius: 8px 8px 0 0; font-size: 12px; color: #3c4043; white-space: nowrap; overflow: hidden; }
.br-tab.active { background: #fff; color: #202124; }
.br-tab .fav { width: 16px; height: 16px; border-radius: 3px; color: #fff; font: bold 9px/16px Arial;
  text-align: center; flex: none; }
.br-tab .t { overflow: hidden; text-overflow: ellipsis; flex: 1; }
.br-tab .cl { color: #5f6368; }
.br-plus { margin: 0 0 7px 8px; color: #5f6368; }
.br-ctl { margin-left: auto; display: flex; align-self: stretch; }
.br-ctl span { width: 46px; display: grid; place-items: center; color: #333; }
.br-bar { height: 40px; display: flex; align-items: center; gap: 14px; padding: 0 12px; background: #fff;
  color: #5f6368; flex: none; }
.br-url { flex: 1; height: 30px; display: flex; align-items: center; gap: 8px; padding: 0 14px; border-radius: 15px;
  background: #edf0f3; color: #5f6368; font-size: 13.5px; }
.br-url b { color: #202124; font-weight: normal; }
.br-prof { width: 26px; height: 26px; border-radius: 50%; background: #8e5bb5; color: #fff; font: bold 11px/26px
  Arial; text-align: center; }
.br-marks { height: 28px; display: flex; align-items: center; gap: 18px; padding: 0 14px; background: #fff;
  border-bottom: 1px solid #dadce0; font-size: 12px; color: #3c4043; flex: none; }
.br-marks span { display: inline-flex; gap: 6px; align-items: center; }
.br-marks .i { color: #8a6d00; }
.page { position: relative; flex: 1; overflow: hidden; }
"""


def page(body: str, css: str) -> str:
    """A whole HTML document of 1280×800 pixels."""
    return (
        '<!doctype html><html lang="de"><head><meta charset="utf-8">'
        f"<style>{BASE_CSS}{css}</style></head><body>{body}</body></html>"
    )


def desktop_window(title: str, logo: str, accent: str, body: str) -> str:
    """A maximised desktop application window."""
    return (
        f'<div class="win"><div class="tb"><span class="tb-logo" style="background:{accent}">{logo}</span>'
        f'<span class="tb-title">{escape(title)}</span><span class="tb-ctl"><span>{icon("minus", 14)}</span>'
        f'<span>{icon("square", 12)}</span><span class="x">{icon("x", 14)}</span></span></div>{body}</div>'
    )


BOOKMARKS = ["Intranet", "E-Akte", "VerBIS", "Quali-Kompass", "IT-Störungsmeldung", "Telefonliste"]


def browser(tab_title: str, fav: str, fav_color: str, url: str, body: str) -> str:
    """A maximised browser window showing one web application."""
    host, _, path = url.removeprefix("https://").partition("/")
    marks = "".join(f"<span>{icon('folder', 14)}{name}</span>" for name in BOOKMARKS)
    return (
        '<div class="win"><div class="br-tabs">'
        f'<div class="br-tab active"><span class="fav" style="background:{fav_color}">{fav}</span>'
        f'<span class="t">{escape(tab_title)}</span><span class="cl">{icon("x", 13)}</span></div>'
        '<div class="br-tab"><span class="fav" style="background:#4a6b8a">IN</span>'
        f'<span class="t">Intranet – Jobcenter Musterstadt</span><span class="cl">{icon("x", 13)}</span></div>'
        f'<span class="br-plus">{icon("plus", 16)}</span>'
        f'<span class="br-ctl"><span>{icon("minus", 14)}</span><span>{icon("square", 12)}</span>'
        f"<span>{icon('x', 14)}</span></span></div>"
        f'<div class="br-bar">{icon("left", 18)}{icon("right", 18)}{icon("refresh", 17)}'
        f'<div class="br-url">{icon("lock", 14)}<span><b>{host}</b>/{escape(path)}</span>'
        f'<span style="margin-left:auto">{icon("star", 16)}</span></div><span class="br-prof">TS</span>'
        f'{icon("more", 20, 3)}</div><div class="br-marks">{marks}</div>'
        f'<div class="page">{body}</div></div>'
    )


def hl(name: str | None, key: str) -> str:
    """The highlight marker attribute if this element is the one the step points at."""
    return f' data-hl="{key}"' if name == key else ""


# ---------------------------------------------------------------------------------------------------------------
# E-Akte

E_AKTE_CSS = """
.ea-menu { height: 26px; display: flex; align-items: center; gap: 18px; padding: 0 12px; background: #fff;
  border-bottom: 1px solid #e1e4e8; font-size: 12.5px; flex: none; }
.ea-tools { height: 54px; display: flex; align-items: center; gap: 4px; padding: 0 10px; background: #f7f9fb;
  border-bottom: 1px solid #d5dae0; flex: none; }
.ea-tool { display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 3px;
  width: 76px; height: 46px; border: 1px solid transparent; border-radius: 3px; font-size: 11.5px; color: #24292f; }
.ea-tool .i { color: #1e5a96; }
.ea-tool.off { color: #9aa2aa; } .ea-tool.off .i { color: #a9b3bd; }
.ea-tool.hot { background: #e3eefa; border-color: #9cc0e6; }
.ea-sep { width: 1px; height: 36px; background: #d5dae0; margin: 0 6px; }
.ea-search { margin-left: auto; width: 340px; }
.ea-main { position: relative; flex: 1; display: flex; min-height: 0; }
.ea-tree { width: 232px; background: #f4f6f8; border-right: 1px solid #d5dae0; padding: 8px 0; font-size: 12.5px;
  flex: none; }
.ea-tree h4 { margin: 10px 12px 4px; font-size: 11px; text-transform: uppercase; letter-spacing: .04em;
  color: #59636e; }
.ea-node { display: flex; align-items: center; gap: 7px; height: 27px; padding: 0 10px 0 22px; }
.ea-node .i { color: #5b6f85; }
.ea-node .badge { margin-left: auto; }
.ea-node.sel { background: #d6e6f7; box-shadow: inset 3px 0 #0b5cad; font-weight: bold; }
.ea-list { flex: 1; display: flex; flex-direction: column; min-width: 0; background: #fff; }
.ea-head { display: flex; align-items: center; gap: 10px; height: 42px; padding: 0 14px; border-bottom: 1px solid
  #e1e4e8; }
.ea-head h2 { margin: 0; font-size: 15px; }
.ea-chips { display: flex; gap: 8px; padding: 8px 14px; border-bottom: 1px solid #e1e4e8; background: #fbfcfd; }
.ea-chip { display: inline-flex; align-items: center; gap: 5px; height: 26px; padding: 0 10px; border: 1px solid
  #b8c2cc; border-radius: 13px; background: #fff; font-size: 12px; }
.ea-chip.on { border-color: #0b5cad; background: #e3eefa; color: #0b4a8b; }
.ea-table { table-layout: fixed; }
.ea-table th { height: 30px; padding: 0 8px; background: #f1f3f5; border-bottom: 1px solid #d5dae0; text-align: left;
  font-size: 11.5px; color: #444d56; font-weight: bold; white-space: nowrap; }
.ea-table td { height: 31px; padding: 0 8px; border-bottom: 1px solid #eef0f2; font-size: 12.5px; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis; max-width: 220px; }
.ea-table tr.sel td { background: #cfe2f6; }
.ea-table tr.unread td { font-weight: bold; }
.ea-table .st { display: inline-block; padding: 1px 7px; border-radius: 9px; font-size: 11px; font-weight: bold; }
.st-neu { background: #e6f0fa; color: #0b4a8b; } .st-kl { background: #fdecd8; color: #8a4300; }
.st-bea { background: #eceff3; color: #444d56; } .st-fr { background: #fbe1e1; color: #a11; }
.st-zu { background: #e3f4e7; color: #1a7f37; }
.ea-preview { width: 340px; border-left: 1px solid #d5dae0; background: #e9ecef; display: flex; flex-direction: column;
  flex: none; }
.ea-pv-head { padding: 10px 12px; background: #fff; border-bottom: 1px solid #d5dae0; font-size: 12px; }
.ea-pv-head b { display: block; font-size: 13.5px; margin-bottom: 2px; }
.ea-sheet { margin: 14px auto; width: 290px; height: 400px; background: #fdfdfb; box-shadow: 0 1px 4px rgba(0,0,0,.25);
  padding: 18px 20px; font-size: 8.5px; line-height: 1.4; color: #333; transform: rotate(-.4deg); }
.ea-sheet h5 { margin: 0 0 6px; font-size: 11px; }
.ea-sheet .box { border: 1px solid #777; padding: 3px 5px; margin: 4px 0; min-height: 18px; }
.ea-sheet .hw { font: italic 12px "DejaVu Serif", serif; color: #1d3a8a; }
.ea-sheet .ln { height: 5px; margin: 5px 0; background: #e5e5e5; }
.ea-status { height: 24px; display: flex; align-items: center; gap: 24px; padding: 0 12px; background: #0b3d6b;
  color: #dce8f5; font-size: 11.5px; flex: none; }
.dlg { width: 560px; background: #fff; border: 1px solid #8c99a6; box-shadow: 0 12px 40px rgba(0,0,0,.3); }
.dlg-t { display: flex; align-items: center; height: 34px; padding: 0 12px; background: #0b3d6b; color: #fff;
  font-weight: bold; }
.dlg-t .i:last-child { margin-left: auto; }
.dlg-b { padding: 16px 18px 6px; }
.dlg-b label { display: block; margin: 10px 0 4px; font-size: 12px; font-weight: bold; color: #333; }
.dlg-f { display: flex; justify-content: flex-end; gap: 8px; padding: 12px 18px 16px; }
.found { margin-top: 8px; padding: 8px 10px; border: 1px solid #b7dfc1; background: #effaf2; font-size: 12.5px; }
.found td { padding: 2px 10px 2px 0; font-size: 12px; }
.ea-viewer { flex: 1; display: flex; flex-direction: column; background: #5d6670; }
.ea-vbar { height: 40px; display: flex; align-items: center; gap: 10px; padding: 0 12px; background: #f7f9fb;
  border-bottom: 1px solid #d5dae0; }
.ea-vbar .sp { margin-left: auto; }
.ea-vpage { margin: 22px auto; width: 470px; height: 590px; background: #fdfdfb; box-shadow: 0 2px 10px rgba(0,0,0,.45);
  padding: 34px 38px; font-size: 11px; line-height: 1.5; color: #333; }
.ea-vpage h5 { margin: 0 0 14px; font-size: 15px; }
.ea-vpage .row { display: flex; justify-content: space-between; border-bottom: 1px solid #ddd; padding: 4px 0; }
.ea-vmeta { width: 300px; background: #fff; border-left: 1px solid #d5dae0; padding: 14px; font-size: 12.5px; }
.ea-vmeta dt { color: #59636e; font-size: 11.5px; margin-top: 10px; }
.ea-vmeta dd { margin: 2px 0 0; }
.toast { position: absolute; right: 18px; bottom: 18px; display: flex; gap: 10px; align-items: center;
  padding: 12px 16px; background: #1a7f37; color: #fff; border-radius: 4px; box-shadow: 0 4px 14px rgba(0,0,0,.3); }
"""

INBOX = [
    ("23.11.2026 07:42", "Weiterbewilligungsantrag", "Mustermann, Erika", "– nicht erkannt –", 6, "kl"),
    ("23.11.2026 07:41", "Lohnabrechnung Oktober", "Mustermann, Max", BG, 2, "neu"),
    ("23.11.2026 07:38", "Mietbescheinigung", "Yılmaz, Derya", "12345BG0003398", 1, "neu"),
    ("23.11.2026 07:35", "Kontoauszüge", "Becker, Thomas", "12345BG0000977", 4, "neu"),
    ("22.11.2026 15:10", "Arbeitsunfähigkeitsbescheinigung", "Schröder, Lena", "12345BG0002089", 1, "neu"),
    ("22.11.2026 14:52", "Veränderungsmitteilung", "Nowak, Pawel", "12345BG0004711", 2, "bea"),
    ("22.11.2026 11:03", "Nebenkostenabrechnung 2025", "Hoffmann, Birgit", "12345BG0000815", 3, "neu"),
    ("21.11.2026 16:40", "Widerspruch", "Krüger, Sven", "12345BG0005120", 2, "fr"),
    ("21.11.2026 10:17", "Kindergeldbescheid", "Mustermann, Erika", BG, 1, "bea"),
    ("20.11.2026 13:25", "Bewerbungsnachweise", "Kaya, Emre", "12345BG0006031", 5, "neu"),
    ("20.11.2026 09:58", "Heizkostenabrechnung", "Fischer, Ute", "12345BG0003777", 2, "neu"),
    ("19.11.2026 12:30", "Anlage EK – Einkommen", "Weber, Jana", "12345BG0002654", 3, "bea"),
    ("19.11.2026 08:12", "Schulbescheinigung", "Lange, Mia", "12345BG0001987", 1, "neu"),
    ("18.11.2026 15:44", "Arbeitsvertrag", "Meyer, Dominik", "12345BG0004102", 4, "neu"),
    ("18.11.2026 10:05", "Antrag auf Erstausstattung", "Neumann, Sabine", "12345BG0005560", 2, "neu"),
    ("17.11.2026 14:21", "Betriebskostenbescheid", "Wolf, Gerhard", "12345BG0000432", 2, "bea"),
    ("17.11.2026 09:48", "Kündigungsschreiben", "Braun, Kevin", "12345BG0003105", 1, "neu"),
]
STATUS = {"neu": ("st-neu", "neu"), "kl": ("st-kl", "Klärung"), "bea": ("st-bea", "in Bearbeitung"),
          "fr": ("st-fr", "Frist 28.11."), "zu": ("st-zu", "zugeordnet")}  # fmt: skip

SEARCH_HITS = [
    ("23.11.2026", "Lohnabrechnung Oktober", "Mustermann, Max", 2, "Posteingang"),
    ("21.11.2026", "Kindergeldbescheid", "Mustermann, Erika", 1, "Leistungsakte"),
    ("04.11.2026", "Lohnabrechnung September", "Mustermann, Max", 2, "Leistungsakte"),
    ("28.10.2026", "Bescheid Änderung", "Jobcenter", 5, "Leistungsakte"),
    ("15.10.2026", "Mietvertrag Nachtrag", "Mustermann, Erika", 3, "Leistungsakte"),
    ("06.10.2026", "Lohnabrechnung August", "Mustermann, Max", 2, "Leistungsakte"),
    ("01.09.2026", "Beratungsvermerk", "Schulz, Tanja", 1, "Vermittlungsakte"),
    ("12.08.2026", "Lohnabrechnung Juli", "Mustermann, Max", 2, "Leistungsakte"),
    ("02.07.2026", "Weiterbewilligungsbescheid", "Jobcenter", 7, "Leistungsakte"),
    ("18.06.2026", "Kontoauszüge", "Mustermann, Erika", 4, "Leistungsakte"),
    ("05.06.2026", "Lohnabrechnung Mai", "Mustermann, Max", 2, "Leistungsakte"),
]


def _e_akte_frame(body: str, title: str, highlight: str | None, search: str = "", tools_on: bool = False) -> str:
    tools = [
        ("file", "Öffnen", True),
        ("folder", "Zuordnen", tools_on),
        ("forward", "Weiterleiten", tools_on),
        ("clock", "Wiedervorlage", tools_on),
        ("print", "Drucken", tools_on),
    ]
    buttons = "".join(
        f'<div class="ea-tool{" hot" if label == "Zuordnen" and highlight == "assign" else ""}'
        f'{"" if enabled else " off"}"{hl(highlight, "assign" if label == "Zuordnen" else "-")}>'
        f"{icon(name, 20)}{label}</div>"
        for name, label, enabled in tools
    )
    search_field = (
        f'<div class="ea-search field{" focus" if search else ""}"{hl(highlight, "search")}>{icon("search", 15)}'
        + (
            f"<span>{escape(search)}</span><span class='caret'></span>"
            if search
            else "<span class='muted'>BG-Nummer, Name oder Aktenzeichen suchen …</span>"
        )
        + "</div>"
    )
    menu = "".join(
        f"<span>{m}</span>" for m in ["Datei", "Bearbeiten", "Ansicht", "Akte", "Extras", "Fenster", "Hilfe"]
    )
    body = (
        f'<div class="ea-menu">{menu}</div><div class="ea-tools">{buttons}<div class="ea-sep"></div>'
        f'<div class="ea-tool">{icon("refresh", 20)}Aktualisieren</div>{search_field}</div>'
        f'<div class="ea-main">{body}</div><div class="ea-status"><span>Angemeldet: Schulz, Tanja (Leistung Team 1)'
        "</span><span>Dienststelle 12345 – Jobcenter Musterstadt</span><span>Verbindung: gut</span>"
        '<span style="margin-left:auto">E-Akte 6.4.2 · Schulungsumgebung</span></div>'
    )
    return desktop_window(title, "eA", "#0b5cad", body)


def _e_akte_tree(selected: str, highlight: str | None) -> str:
    groups = [
        (
            "Mein Arbeitsplatz",
            [("inbox", "Mein Posteingang", 4), ("clock", "Wiedervorlagen", 3), ("file", "Entwürfe", 0)],
        ),
        (
            "Leistung Team 1",
            [("inbox", "Team-Posteingang", 27), ("warn", "Klärungsfälle", 2), ("users", "Vertretungen", 0)],
        ),
        ("Akten", [("folder", "Zuletzt geöffnet", 0), ("bookmark", "Lesezeichen", 5), ("search", "Suche", 0)]),
    ]
    html = ['<nav class="ea-tree">']
    for heading, nodes in groups:
        html.append(f"<h4>{heading}</h4>")
        for name, label, count in nodes:
            sel = " sel" if label == selected else ""
            marker = hl(highlight, "tree") if label == "Team-Posteingang" else ""
            badge = f'<span class="badge">{count}</span>' if count else ""
            html.append(f'<div class="ea-node{sel}"{marker}>{icon(name, 15)}<span>{label}</span>{badge}</div>')
    html.append("</nav>")
    return "".join(html)


def _scan_sheet(big: bool = False) -> str:
    lines = "".join('<div class="ln"></div>' for _ in range(3))
    cls = "ea-vpage" if big else "ea-sheet"
    return (
        f'<div class="{cls}"><div style="text-align:right" class="muted">Eingang 23. Nov. 2026 · Scanstelle</div>'
        "<h5>Antrag auf Weiterbewilligung der Leistungen zur Sicherung des Lebensunterhalts (SGB II)</h5>"
        f'<div>Nummer der Bedarfsgemeinschaft</div><div class="box"><span class="hw">{BG}</span></div>'
        '<div>Name, Vorname</div><div class="box"><span class="hw">Mustermann, Erika</span></div>'
        '<div>Anschrift</div><div class="box"><span class="hw">Lindenallee 12, 12345 Musterstadt</span></div>'
        '<div>1. Haben sich Ihre persönlichen Verhältnisse geändert?</div><div class="box">'
        '<span class="hw">☐ ja &nbsp; ☒ nein</span></div>'
        '<div>2. Einkommen im Haushalt</div><div class="box"><span class="hw">Max: Teilzeit, siehe Anlage</span></div>'
        f'{lines}<div>Unterschrift</div><div class="box"><span class="hw">E. Mustermann</span></div>{lines}</div>'
    )


def _inbox_table(selected: int | None, highlight: str | None, assigned: bool = False) -> str:
    rows = []
    for index, (received, kind, sender, bg, pages, status) in enumerate(INBOX):
        if assigned and index == 0:
            bg, status = BG, "zu"
        cls, label = STATUS[status]
        classes = " ".join(c for c in ("sel" if index == selected else "", "unread" if status == "neu" else "") if c)
        marker = hl(highlight, "row") if index == selected else ""
        bg_cell = f'<span class="warn">{bg}</span>' if bg.startswith("–") else bg
        rows.append(
            f'<tr class="{classes}"{marker}><td><input type="checkbox"{" checked" if index == selected else ""}></td>'
            f"<td>{received}</td><td>{kind}</td><td>{sender}</td><td>{bg_cell}</td><td>{pages}</td>"
            f'<td><span class="st {cls}">{label}</span></td></tr>'
        )
    return (
        '<table class="ea-table"><thead><tr><th style="width:30px"></th><th style="width:116px">Eingang ▾</th>'
        '<th>Dokumentart</th><th style="width:128px">Absender</th><th style="width:122px">BG-Nummer</th>'
        '<th style="width:50px">Seiten</th><th style="width:120px">Status</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _preview(selected: int | None) -> str:
    if selected is None:
        return (
            '<aside class="ea-preview"><div class="ea-pv-head"><b>Vorschau</b>Kein Dokument ausgewählt.</div>'
            '<div style="margin:auto;text-align:center" class="muted">'
            f"{icon('file', 48, 1.2)}<br>Wählen Sie ein Dokument aus,<br>um die Vorschau zu sehen.</div></aside>"
        )
    received, kind, sender, *_ = INBOX[selected]
    return (
        f'<aside class="ea-preview"><div class="ea-pv-head"><b>{kind}</b>{sender} · Eingang {received} · '
        f"Seite 1 von 6</div>{_scan_sheet()}</aside>"
    )


def e_akte_inbox(
    selected: int | None = None, highlight: str | None = None, dialog: str | None = None, assigned: bool = False
) -> str:
    """The team inbox of the E-Akte, optionally with a document selected and the assignment dialog open."""
    tree = _e_akte_tree("Team-Posteingang", highlight)
    header = (
        '<div class="ea-head"><h2>Team-Posteingang – Leistung Team 1</h2><span class="muted">27 Dokumente, davon 19 '
        'neu</span><span style="margin-left:auto" class="btn">'
        f"{icon('filter', 14)}Filter</span><span class='btn'>{icon('list', 14)}Ansicht</span></div>"
    )
    body = (
        f'{tree}<section class="ea-list">{header}{_inbox_table(selected, highlight, assigned)}</section>'
        f"{_preview(selected)}"
    )
    if dialog:
        body += f'<div class="modal">{_assign_dialog(dialog, highlight)}</div>'
    if assigned:
        body += (
            f'<div class="toast">{icon("check", 18, 2.4)}Dokument „Weiterbewilligungsantrag“ wurde der '
            f"BG {BG} zugeordnet.</div>"
        )
    return page(
        _e_akte_frame(body, "E-Akte – Team-Posteingang Leistung Team 1", highlight, tools_on=selected is not None),
        E_AKTE_CSS,
    )


def _assign_dialog(state: str, highlight: str | None) -> str:
    filled = state in ("found", "ready")
    value = f"<span>{BG}</span><span class='caret'></span>" if filled else "<span class='caret'></span>"
    found = (
        f'<div class="found"><b class="ok">{icon("check", 14, 2.4)} Bedarfsgemeinschaft gefunden</b><table>'
        "<tr><td>Mustermann, Erika</td><td>geb. 14.03.1986</td><td>antragstellende Person</td></tr>"
        "<tr><td>Mustermann, Max</td><td>geb. 02.09.1984</td><td>Partner</td></tr>"
        "<tr><td>Mustermann, Lina</td><td>geb. 11.05.2015</td><td>Kind</td></tr>"
        "<tr><td>Mustermann, Tom</td><td>geb. 27.01.2021</td><td>Kind</td></tr></table></div>"
        if filled
        else ""
    )
    kind = (
        '<div class="field" style="justify-content:space-between"'
        + hl(highlight, "kind")
        + ">"
        + ("Weiterbewilligungsantrag (WBA)" if state == "ready" else "<span class='muted'>Bitte wählen …</span>")
        + icon("down", 14)
        + "</div>"
    )
    return (
        f'<div class="dlg"><div class="dlg-t">{icon("folder", 16)}&nbsp; Dokument zuordnen{icon("x", 16)}</div>'
        '<div class="dlg-b"><div class="muted">Weiterbewilligungsantrag · 6 Seiten · Eingang 23.11.2026 07:42</div>'
        f'<label>BG-Nummer</label><div class="field focus"{hl(highlight, "bg")}>{value}</div>{found}'
        f"<label>Dokumentart</label>{kind}"
        '<label>Eingangsdatum</label><div class="field" style="width:160px">23.11.2026</div>'
        '<div style="margin-top:12px"><input type="checkbox" checked> Wiedervorlage für die zuständige '
        "Sachbearbeitung erzeugen</div></div>"
        f'<div class="dlg-f"><span class="btn">Abbrechen</span><span class="btn primary"{hl(highlight, "confirm")}>'
        f"{icon('check', 14, 2.2)}Zuordnen</span></div></div>"
    )


def e_akte_search(stage: str, highlight: str | None = None) -> str:
    """The E-Akte search: ``typed`` (search text), ``filter`` (type filter open), ``results`` (filtered)."""
    filtered = stage in ("results",)
    hits = [hit for hit in SEARCH_HITS if not filtered or hit[1].startswith("Lohnabrechnung")]
    rows = "".join(
        f"<tr{' class=sel' if filtered and i == 0 else ''}{hl(highlight, 'hit') if i == 0 else ''}>"
        f"<td>{icon('file', 15)}</td><td>{date}</td><td>{kind}</td><td>{sender}</td><td>{pages}</td><td>{place}</td>"
        f'<td class="muted">{BG}</td></tr>'
        for i, (date, kind, sender, pages, place) in enumerate(hits)
    )
    filter_chip = (
        f'<span class="ea-chip{" on" if stage != "typed" else ""}"{hl(highlight, "filter")}>{icon("filter", 13)}'
        f"Dokumentart: {'Lohnabrechnung' if filtered else 'alle'} {icon('down', 13)}</span>"
    )
    dropdown = ""
    if stage == "filter":
        options = [
            ("Bescheide", 2, False),
            ("Beratungsvermerke", 1, False),
            ("Kindergeld", 1, False),
            ("Kontoauszüge", 1, False),
            ("Lohnabrechnung", 5, True),
            ("Mietvertrag", 1, False),
        ]
        items = "".join(
            f'<div style="padding:5px 12px"><input type="checkbox"{" checked" if on else ""}> {label} '
            f'<span class="muted">({count})</span></div>'
            for label, count, on in options
        )
        dropdown = (
            '<div style="position:absolute;left:14px;top:80px;width:240px;background:#fff;border:1px solid #9aa3ad;'
            f'box-shadow:0 6px 18px rgba(0,0,0,.2);z-index:3;padding:6px 0"{hl(highlight, "options")}>{items}'
            '<div style="display:flex;justify-content:flex-end;gap:6px;padding:8px 12px 4px;border-top:1px solid '
            '#e1e4e8"><span class="btn">Zurücksetzen</span><span class="btn primary">Anwenden</span></div></div>'
        )
    body = (
        f"{_e_akte_tree('Suche', highlight)}<section class='ea-list' style='position:relative'>"
        f"<div class='ea-head'><h2>Suchergebnisse für „{BG}“</h2><span class='muted'>{len(hits)} Treffer</span></div>"
        f"<div class='ea-chips'>{filter_chip}<span class='ea-chip'>{icon('calendar', 13)}Zeitraum: letzte 12 Monate "
        f"{icon('down', 13)}</span><span class='ea-chip'>{icon('user', 13)}Person: alle {icon('down', 13)}</span>"
        f"<span class='ea-chip'>{icon('folder', 13)}Akte: alle {icon('down', 13)}</span></div>"
        '<table class="ea-table"><thead><tr><th style="width:30px"></th><th>Datum ▾</th><th>Dokumentart</th>'
        f"<th>Absender</th><th>Seiten</th><th>Ablage</th><th>BG-Nummer</th></tr></thead><tbody>{rows}</tbody></table>"
        f"{dropdown}</section>"
    )
    return page(_e_akte_frame(body, "E-Akte – Suche", highlight, search=BG, tools_on=filtered), E_AKTE_CSS)


def e_akte_viewer(highlight: str | None = None, bookmarked: bool = False) -> str:
    """A document opened in the E-Akte viewer."""
    star = (
        f'<span class="btn"{hl(highlight, "bookmark")}'
        f' style="{"color:#8a6d00;border-color:#d4a900" if bookmarked else ""}">'
        f"{icon('star', 15)}{'Lesezeichen gesetzt' if bookmarked else 'Lesezeichen'}</span>"
    )
    rows = "".join(
        f'<div class="row"><span>{label}</span><span>{value}</span></div>'
        for label, value in [
            ("Bruttoentgelt", "1.480,00 €"),
            ("Lohnsteuer", "0,00 €"),
            ("Rentenversicherung", "137,64 €"),
            ("Krankenversicherung", "120,62 €"),
            ("Pflegeversicherung", "25,16 €"),
            ("Arbeitslosenversicherung", "19,24 €"),
            ("Nettoentgelt", "1.177,34 €"),
            ("Auszahlungsbetrag", "1.177,34 €"),
        ]
    )
    page_html = (
        '<div class="ea-vpage"><div style="display:flex;justify-content:space-between"><b>Bäckerei Sonnenkorn GmbH</b>'
        '<span class="muted">Personalnr. 0815</span></div><div class="muted" style="margin:4px 0 18px">Hafenstraße 3, '
        "12345 Musterstadt</div><h5>Entgeltabrechnung Oktober 2026</h5><div>Max Mustermann · Lindenallee 12 · "
        "12345 Musterstadt</div><div style='margin:8px 0 16px' class='muted'>Steuerklasse 4 · Teilzeit 25 Std./Woche"
        f"</div>{rows}<div style='margin-top:30px' class='muted'>Seite 1 von 2</div></div>"
    )
    meta = (
        '<aside class="ea-vmeta"><b style="font-size:14px">Dokumentdaten</b><dl>'
        "<dt>Dokumentart</dt><dd>Lohnabrechnung</dd><dt>Absender</dt><dd>Mustermann, Max</dd>"
        f"<dt>BG-Nummer</dt><dd>{BG}</dd><dt>Eingang</dt><dd>23.11.2026 07:41 (Scanstelle)</dd>"
        "<dt>Ablage</dt><dd>Leistungsakte › Einkommen › 2026</dd><dt>Bearbeitungsstand</dt><dd>neu, ungelesen</dd>"
        "<dt>Notiz</dt><dd class='muted'>Keine Notiz vorhanden.</dd></dl></aside>"
    )
    body = (
        f'{_e_akte_tree("Suche", None)}<section class="ea-viewer"><div class="ea-vbar"><span class="btn">'
        f'{icon("left", 14)}Zurück zur Trefferliste</span><span class="btn">{icon("print", 14)}Drucken</span>'
        f'<span class="btn">{icon("download", 14)}Herunterladen</span>{star}<span class="sp muted">Seite 1 / 2 &nbsp;'
        f" {icon('left', 14)} {icon('right', 14)} &nbsp; 100 %</span></div><div style='display:flex;flex:1;"
        f"min-height:0'><div style='flex:1;overflow:hidden'>{page_html}</div>{meta}</div></section>"
    )
    return page(
        _e_akte_frame(
            body, "E-Akte – Lohnabrechnung Oktober 2026 (Mustermann, Max)", highlight, search=BG, tools_on=True
        ),
        E_AKTE_CSS,
    )


# ---------------------------------------------------------------------------------------------------------------
# VerBIS

VERBIS_CSS = """
.vb-top { height: 46px; display: flex; align-items: center; gap: 26px; padding: 0 18px; background: #00375a;
  color: #fff; }
.vb-logo { font: bold 19px "Liberation Sans", Arial; letter-spacing: .02em; }
.vb-logo small { font-weight: normal; font-size: 11px; opacity: .8; margin-left: 6px; }
.vb-nav { display: flex; gap: 4px; }
.vb-nav span { padding: 14px 12px 12px; font-size: 13px; border-bottom: 3px solid transparent; }
.vb-nav span.on { border-color: #ffb300; background: rgba(255,255,255,.08); }
.vb-user { margin-left: auto; font-size: 12px; opacity: .9; }
.vb-crumb { height: 30px; display: flex; align-items: center; gap: 6px; padding: 0 18px; background: #eef2f6;
  font-size: 12px; color: #44515e; border-bottom: 1px solid #d3dbe3; }
.vb-cust { display: flex; align-items: center; gap: 22px; padding: 12px 18px; border-bottom: 1px solid #d3dbe3; }
.vb-av { width: 44px; height: 44px; border-radius: 50%; background: #c9d7e4; color: #00375a; display: grid;
  place-items: center; font-weight: bold; font-size: 16px; }
.vb-cust h2 { margin: 0; font-size: 18px; color: #00375a; }
.vb-cust .kv { font-size: 12px; color: #44515e; }
.vb-cust .kv b { color: #1f2328; }
.vb-tabs { display: flex; gap: 2px; padding: 0 18px; border-bottom: 2px solid #00375a; background: #fff; }
.vb-tabs span { padding: 9px 14px; font-size: 13px; color: #00375a; background: #eef2f6; border: 1px solid #d3dbe3;
  border-bottom: none; border-radius: 4px 4px 0 0; margin-top: 6px; }
.vb-tabs span.on { background: #00375a; color: #fff; font-weight: bold; }
.vb-body { display: flex; gap: 18px; padding: 16px 18px; }
.vb-card { border: 1px solid #d3dbe3; border-radius: 4px; background: #fff; }
.vb-card h3 { margin: 0; padding: 9px 12px; font-size: 13.5px; background: #f4f7fa; border-bottom: 1px solid #d3dbe3;
  color: #00375a; }
.vb-card .c { padding: 12px; }
.vb-form { display: grid; grid-template-columns: 150px 1fr; gap: 9px 12px; align-items: center; font-size: 12.5px; }
.vb-form label { color: #44515e; text-align: right; }
.vb-btn { display: inline-flex; align-items: center; gap: 6px; padding: 7px 16px; border-radius: 3px;
  background: #00375a; color: #fff; font-weight: bold; font-size: 12.5px; }
.vb-btn.sec { background: #fff; color: #00375a; border: 1px solid #00375a; }
.vb-table th { text-align: left; padding: 7px 8px; background: #eef2f6; font-size: 11.5px; color: #44515e;
  border-bottom: 1px solid #d3dbe3; }
.vb-table td { padding: 7px 8px; border-bottom: 1px solid #edf0f3; font-size: 12.5px; }
.vb-table tr.sel td { background: #fff6d9; }
.vb-pill { display: inline-block; padding: 1px 8px; border-radius: 10px; background: #e1ecf5; color: #00375a;
  font-size: 11px; }
.vb-score { display: inline-block; width: 60px; height: 7px; border-radius: 4px; background: #e3e8ee;
  vertical-align: middle; overflow: hidden; }
.vb-score i { display: block; height: 7px; background: #2e7d32; }
"""

VERBIS_URL = "https://verbis.arbeitsagentur.intranet.example/vam/kunde/"


def _verbis(body: str, section: str, crumb: str, url: str) -> str:
    nav = "".join(
        f'<span class="{"on" if name == section else ""}">{name}</span>'
        for name in ("Startseite", "Kunden", "Stellen", "Arbeitgeber", "Maßnahmen", "Auswertungen")
    )
    html = (
        f'<div class="vb-top"><span class="vb-logo">VerBIS<small>Vermittlung · Beratung · Information</small></span>'
        f'<div class="vb-nav">{nav}</div><span class="vb-user">{icon("user", 14)} Schulz, Tanja · Jobcenter '
        f"Musterstadt, Integration Nord &nbsp; {icon('bell', 15)}</span></div>"
        f'<div class="vb-crumb">{icon("home", 13)} {crumb}</div>{body}'
    )
    return page(browser("VerBIS – " + section, "VB", "#00375a", url, html), BROWSER_CSS + VERBIS_CSS)


def _customer_header(tab: str, highlight: str | None) -> str:
    tabs = "".join(
        f'<span class="{"on" if name == tab else ""}"{hl(highlight, "tab") if name == "Stellensuche" else ""}>'
        f"{name}</span>"
        for name in (
            "Übersicht",
            "Lebenslauf",
            "Bewerberprofil",
            "Stellensuche",
            "Vermittlungsvorschläge",
            "Beratungsvermerke",
            "Kooperationsplan",
        )
    )
    return (
        '<div class="vb-cust"><div class="vb-av">EM</div><div><h2>Mustermann, Erika</h2><div class="kv">geb. '
        f"14.03.1986 · Lindenallee 12, 12345 Musterstadt</div></div><div class='kv'>Kundennummer<br><b>"
        f"{CUSTOMER_NUMBER}</b></div><div class='kv'>BG-Nummer<br><b>{BG}</b></div><div class='kv'>Status<br><b>"
        "arbeitsuchend, Teilzeit</b></div><div class='kv'>Zuständig<br><b>Schulz, Tanja</b></div>"
        f'<div class="kv" style="margin-left:auto"><span class="vb-pill">Profillage: Marktnähe</span></div></div>'
        f'<div class="vb-tabs">{tabs}</div>'
    )


def verbis_customer_search(highlight: str | None = None) -> str:
    """Finding a customer by customer number."""
    form = (
        '<div class="vb-form"><label>Kundennummer</label><div class="field focus" style="width:260px"'
        f"{hl(highlight, 'number')}><span>{CUSTOMER_NUMBER}</span><span class='caret'></span></div>"
        '<label>Name</label><div class="field" style="width:260px"></div><label>Vorname</label>'
        '<div class="field" style="width:260px"></div><label>Geburtsdatum</label><div class="field" '
        'style="width:140px"><span class="muted">TT.MM.JJJJ</span></div><label>BG-Nummer</label>'
        '<div class="field" style="width:260px"></div><span></span><div style="display:flex;gap:8px">'
        f'<span class="vb-btn"{hl(highlight, "find")}>{icon("search", 14, 2.2)}Suchen</span>'
        '<span class="vb-btn sec">Zurücksetzen</span></div></div>'
    )
    recent = "".join(
        f"<tr><td>{number}</td><td>{name}</td><td>{born}</td><td>{when}</td></tr>"
        for number, name, born, when in [
            ("123D456790", "Kaya, Emre", "08.07.1999", "heute, 08:40"),
            ("123D451188", "Schröder, Lena", "30.11.1991", "gestern"),
            ("123D447312", "Nowak, Pawel", "19.02.1978", "20.11.2026"),
            ("123D439905", "Krüger, Sven", "01.04.1988", "19.11.2026"),
        ]
    )
    body = (
        '<div class="vb-body"><div class="vb-card" style="width:560px"><h3>Kundin oder Kunden suchen</h3>'
        f'<div class="c">{form}</div></div><div class="vb-card" style="flex:1"><h3>Zuletzt aufgerufen</h3>'
        '<table class="vb-table"><thead><tr><th>Kundennummer</th><th>Name</th><th>Geburtsdatum</th><th>Aufgerufen'
        f"</th></tr></thead><tbody>{recent}</tbody></table></div></div>"
    )
    return _verbis(body, "Kunden", "Startseite › Kunden › Suche", VERBIS_URL + "suche")


def verbis_overview(highlight: str | None = None) -> str:
    """The customer overview with its tabs."""
    left = (
        '<div class="vb-card" style="flex:1"><h3>Vermittlungsrelevante Daten</h3><div class="c"><div class="vb-form">'
        "<label>Zielberuf</label><div>Kauffrau für Büromanagement (71402)</div><label>Alternativberuf</label>"
        "<div>Bürohilfskraft (71301)</div><label>Arbeitszeit</label><div>Teilzeit, 25–30 Std./Woche, vormittags</div>"
        "<label>Mobilität</label><div>ÖPNV, Führerschein Klasse B, kein eigenes Kfz</div><label>Umkreis</label>"
        "<div>bis 25 km ab Wohnort</div><label>Verfügbar ab</label><div>sofort</div><label>Letzte Aktualisierung"
        "</label><div>12.11.2026 durch Schulz, Tanja</div></div></div></div>"
    )
    right = (
        '<div class="vb-card" style="width:420px"><h3>Nächste Schritte</h3><div class="c" style="font-size:12.5px">'
        f"<p>{icon('calendar', 14)} Beratungstermin am <b>02.12.2026, 10:00</b> (Videoberatung)</p>"
        f"<p>{icon('check', 14)} Bewerbungsunterlagen liegen vor (Stand 10/2026)</p>"
        f"<p>{icon('warn', 14)} <span class='warn'>Zwei Vermittlungsvorschläge ohne Rückmeldung</span></p>"
        f"<p>{icon('file', 14)} Kooperationsplan gültig bis 31.03.2027</p></div></div>"
    )
    body = f'{_customer_header("Übersicht", highlight)}<div class="vb-body">{left}{right}</div>'
    return _verbis(
        body,
        "Kunden",
        f"Startseite › Kunden › Mustermann, Erika ({CUSTOMER_NUMBER})",
        VERBIS_URL + "123D456789/uebersicht",
    )


JOBS = [
    ("Kauffrau/-mann für Büromanagement (Teilzeit)", "Stadtwerke Musterstadt GmbH", "Musterstadt", "3 km", 96),
    ("Bürokraft Empfang und Terminvergabe", "Praxis Dr. Albers", "Musterstadt", "5 km", 91),
    ("Sachbearbeitung Auftragsannahme (m/w/d)", "Nordlicht Logistik KG", "Hafenviertel", "9 km", 87),
    ("Verwaltungsassistenz 25 Std.", "Ev. Kita-Verbund Musterstadt", "Musterstadt", "4 km", 84),
    ("Kaufm. Angestellte Buchhaltung (Teilzeit)", "Autohaus Berger", "Neudorf", "18 km", 79),
    ("Assistenz der Geschäftsführung", "Hansekontor Immobilien", "Musterstadt", "2 km", 72),
]


def verbis_job_search(stage: str, highlight: str | None = None) -> str:
    """The job search of a profile: ``criteria`` or ``results``."""
    criteria = (
        f'<div class="vb-card" style="width:430px"{hl(highlight, "criteria")}><h3>Suchkriterien aus dem Bewerberprofil'
        '</h3><div class="c"><div class="vb-form" style="grid-template-columns:120px 1fr">'
        '<label>Beruf</label><div class="field">Kauffrau für Büromanagement</div>'
        '<label>Alternativ</label><div class="field">Bürohilfskraft</div>'
        '<label>Arbeitsort</label><div class="field">12345 Musterstadt</div>'
        '<label>Umkreis</label><div class="field" style="width:120px;justify-content:space-between">25 km'
        f"{icon('down', 13)}</div><label>Arbeitszeit</label><div><input type='checkbox' checked> Teilzeit "
        "&nbsp;<input type='checkbox'> Vollzeit</div><label>Befristung</label><div><input type='checkbox' checked> "
        "auch befristete Stellen</div><label>Veröffentlicht</label><div class='field' style='width:160px;"
        f"justify-content:space-between'>letzte 30 Tage{icon('down', 13)}</div></div>"
        '<div style="display:flex;gap:8px;margin-top:14px;justify-content:flex-end">'
        '<span class="vb-btn sec">Kriterien speichern</span>'
        f'<span class="vb-btn"{hl(highlight, "start")}>{icon("search", 14, 2.2)}Suche starten</span></div></div></div>'
    )
    if stage == "criteria":
        results = (
            '<div class="vb-card" style="flex:1"><h3>Ergebnisse</h3><div class="c muted" style="padding:60px 20px;'
            f'text-align:center">{icon("search", 40, 1.3)}<br><br>Prüfen Sie die Suchkriterien und starten Sie die '
            "Suche.<br>Die Kriterien kommen aus dem Bewerberprofil.</div></div>"
        )
    else:
        rows = "".join(
            f'<tr class="{"sel" if i < 2 else ""}"><td><input type="checkbox"{" checked" if i < 2 else ""}></td>'
            f"<td><b>{title}</b><br><span class='muted'>{company}</span></td><td>{place}<br>"
            f"<span class='muted'>{distance}</span></td><td><span class='vb-score'><i style='width:{score}%'></i>"
            f"</span> {score} %</td></tr>"
            for i, (title, company, place, distance, score) in enumerate(JOBS)
        )
        results = (
            '<div class="vb-card" style="flex:1"><h3>Ergebnisse: 6 passende Stellen</h3><table class="vb-table">'
            "<thead><tr><th></th><th>Stelle</th><th>Arbeitsort</th><th>Übereinstimmung</th></tr></thead>"
            f'<tbody>{rows}</tbody></table><div class="c" style="display:flex;gap:8px;justify-content:flex-end">'
            '<span class="muted" style="margin-right:auto;align-self:center">2 Stellen ausgewählt</span>'
            '<span class="vb-btn sec">Merken</span>'
            f'<span class="vb-btn"{hl(highlight, "propose")}>{icon("send", 14, 2)}Vermittlungsvorschlag erstellen'
            "</span></div></div>"
        )
    body = f'{_customer_header("Stellensuche", None)}<div class="vb-body">{criteria}{results}</div>'
    return _verbis(
        body,
        "Kunden",
        "Startseite › Kunden › Mustermann, Erika › Stellensuche",
        VERBIS_URL + "123D456789/stellensuche",
    )


# ---------------------------------------------------------------------------------------------------------------
# ALLEGRO

ALLEGRO_CSS = """
body { font-size: 12px; }
.al-menu { height: 24px; display: flex; align-items: center; gap: 16px; padding: 0 10px; background: #f0f0f0;
  border-bottom: 1px solid #c9c9c9; }
.al-tools { height: 36px; display: flex; align-items: center; gap: 3px; padding: 0 8px; background: linear-gradient(
  #fafafa, #e9e9e9); border-bottom: 1px solid #b9b9b9; }
.al-tools span { display: inline-flex; align-items: center; gap: 4px; padding: 4px 8px; border: 1px solid transparent;
  border-radius: 2px; color: #222; }
.al-tools .i { color: #8a1538; }
.al-tools .div { width: 1px; height: 24px; background: #bdbdbd; padding: 0; margin: 0 4px; }
.al-main { position: relative; flex: 1; display: flex; min-height: 0; overflow: hidden; background: #e8e8e8; }
.al-nav { width: 220px; background: #fff; border-right: 1px solid #b9b9b9; padding: 6px 0; }
.al-nav div { padding: 4px 10px 4px 14px; display: flex; gap: 6px; align-items: center; }
.al-nav .sub { padding-left: 32px; }
.al-nav .sel { background: #8a1538; color: #fff; }
.al-nav .sel .i { color: #fff; }
.al-nav .i { color: #8a1538; }
.al-work { flex: 1; padding: 8px 10px; display: flex; flex-direction: column; gap: 8px; min-width: 0; }
.al-head { display: flex; gap: 26px; padding: 8px 12px; background: #fff; border: 1px solid #b9b9b9; }
.al-head div { font-size: 11px; color: #555; }
.al-head b { display: block; font-size: 13px; color: #111; }
.al-tabs { display: flex; gap: 0; }
.al-tabs span { padding: 5px 14px; border: 1px solid #b9b9b9; border-bottom: none; background: #ddd; margin-right: -1px;
  border-radius: 3px 3px 0 0; }
.al-tabs span.on { background: #fff; font-weight: bold; position: relative; top: 1px; }
.al-panel { flex: 1; background: #fff; border: 1px solid #b9b9b9; padding: 12px; display: flex; flex-direction: column;
  gap: 8px; }
fieldset { border: 1px solid #c4c4c4; padding: 4px 12px 10px; margin: 0; }
legend { padding: 0 4px; color: #8a1538; font-weight: bold; }
.al-grid { display: grid; grid-template-columns: 170px 170px 170px 1fr; gap: 6px 12px; align-items: center; }
.al-grid label { color: #333; }
.al-in { height: 22px; padding: 2px 5px; border: 1px solid #8f8f8f; border-top-color: #6f6f6f; background: #fff;
  font-size: 12px; }
.al-in.req { background: #fffbe0; }
.al-in.ro { background: #f2f2f2; color: #444; }
.al-btn { display: inline-flex; align-items: center; gap: 5px; padding: 4px 12px; border: 1px solid #7a7a7a;
  border-radius: 2px; background: linear-gradient(#fdfdfd, #e2e2e2); color: #111; }
.al-btn.pri { border-color: #5e0e26; background: linear-gradient(#a31c45, #7d1131); color: #fff; }
.al-t th { text-align: left; padding: 4px 6px; background: #e4e4e4; border: 1px solid #c4c4c4; font-size: 11.5px; }
.al-t td { padding: 4px 6px; border: 1px solid #dadada; }
.al-t tr.sel td { background: #f7e1e8; }
.al-t td.r, .al-t th.r { text-align: right; }
.al-status { height: 22px; display: flex; align-items: center; gap: 20px; padding: 0 10px; background: #f0f0f0;
  border-top: 1px solid #b9b9b9; font-size: 11px; color: #333; }
.al-hint { padding: 6px 10px; border: 1px solid #e0c878; background: #fff8d6; }
"""


def _allegro(body: str, title: str, open_case: bool, nav: str | None, highlight: str | None) -> str:
    menu = "".join(
        f"<span>{m}</span>" for m in ("Datei", "Leistungsakte", "Bearbeiten", "Berechnung", "Bescheid", "Extras", "?")
    )
    tools = (
        f"<span>{icon('folder', 15)}Akte öffnen</span><span>{icon('save', 15)}Speichern</span>"
        f"<span>{icon('undo', 15)}Verwerfen</span><span class='div'></span><span>{icon('calc', 15)}Berechnen</span>"
        f"<span>{icon('file', 15)}Bescheid</span><span>{icon('print', 15)}Drucken</span><span class='div'></span>"
        f"<span>{icon('info', 15)}Hinweise (2)</span>"
    )
    if open_case:
        items = [
            ("user", "Stammdaten", False),
            ("users", "Personen der BG", False),
            ("euro", "Einkommen", False),
            ("home", "Kosten der Unterkunft", False),
            ("list", "Mehrbedarfe", False),
            ("calendar", "Bewilligung", False),
            ("file", "Bescheide", False),
            ("euro", "Zahlungen", False),
            ("warn", "Erstattungen", False),
            ("clock", "Historie", False),
        ]
        entries = "".join(
            f'<div class="{"sel" if label == nav else ""}"{hl(highlight, "nav") if label == "Bewilligung" else ""}>'
            f"{icon(name, 14)}{label}</div>"
            for name, label, _ in items
        )
    else:
        entries = (
            f"<div class='sel'>{icon('home', 14)}Startseite</div><div>{icon('list', 14)}Arbeitsvorrat (14)</div>"
            f"<div>{icon('clock', 14)}Wiedervorlagen (6)</div><div>{icon('folder', 14)}Zuletzt geöffnet</div>"
            f"<div class='sub'>{BG}</div><div class='sub'>12345BG0004711</div><div class='sub'>12345BG0002089</div>"
        )
    body = (
        f'<div class="al-menu">{menu}</div><div class="al-tools">{tools}</div><div class="al-main">'
        f'<nav class="al-nav">{entries}</nav><div class="al-work">{body}</div></div><div class="al-status">'
        "<span>Benutzer: SCHULZT · Leistung Team 1</span><span>Mandant 12345</span><span>Zahltag: 01.12.2026</span>"
        '<span style="margin-left:auto">ALLEGRO 26.4.1 · Schulung</span></div>'
    )
    return page(desktop_window(title, "AL", "#8a1538", body), ALLEGRO_CSS)


def _case_head() -> str:
    return (
        f'<div class="al-head"><div>BG-Nummer<b>{BG}</b></div><div>Antragstellende Person<b>Mustermann, Erika</b>'
        "</div><div>Personen<b>4 (2 Erw., 2 Kinder)</b></div><div>Aktueller Bewilligungszeitraum<b>01.12.2025 – "
        "30.11.2026</b></div><div>Zuständig<b>Schulz, Tanja</b></div></div>"
    )


def allegro_start(highlight: str | None = None) -> str:
    """The ALLEGRO start page with the field to open a case file."""
    body = (
        '<div class="al-panel" style="flex:none"><fieldset><legend>Leistungsakte öffnen</legend><div class="al-grid"'
        ' style="grid-template-columns:130px 220px auto 1fr"><label>BG-Nummer</label>'
        f'<div class="al-in req"{hl(highlight, "bg")}>{BG}<span class="caret"></span></div>'
        f'<span class="al-btn pri"{hl(highlight, "open")}>{icon("folder", 14)}Öffnen</span><span></span>'
        '<label>oder Name</label><div class="al-in"></div><span class="al-btn">Suchen …</span></div></fieldset></div>'
        '<div class="al-panel"><fieldset><legend>Arbeitsvorrat</legend><table class="al-t"><thead><tr>'
        "<th>Fällig</th><th>BG-Nummer</th><th>Name</th><th>Vorgang</th><th>Hinweis</th></tr></thead><tbody>"
        f"<tr><td>25.11.2026</td><td>{BG}</td><td>Mustermann, Erika</td><td>Weiterbewilligung</td>"
        "<td>WBA liegt in der E-Akte vor</td></tr><tr><td>26.11.2026</td><td>12345BG0004711</td><td>Nowak, Pawel</td>"
        "<td>Änderung Einkommen</td><td>Veränderungsmitteilung</td></tr><tr><td>27.11.2026</td><td>12345BG0002089"
        "</td><td>Schröder, Lena</td><td>Weiterbewilligung</td><td>–</td></tr><tr><td>28.11.2026</td>"
        "<td>12345BG0005120</td><td>Krüger, Sven</td><td>Widerspruch</td><td>Frist beachten</td></tr>"
        "<tr><td>30.11.2026</td><td>12345BG0000815</td><td>Hoffmann, Birgit</td><td>KdU-Prüfung</td>"
        "<td>Nebenkostenabrechnung</td></tr><tr><td>01.12.2026</td><td>12345BG0003398</td><td>Yılmaz, Derya</td>"
        "<td>Weiterbewilligung</td><td>–</td></tr></tbody></table></fieldset></div>"
    )
    return _allegro(body, "ALLEGRO – Startseite", False, None, highlight)


def allegro_case(stage: str, highlight: str | None = None) -> str:
    """A case file: ``master`` (Stammdaten), ``approvals`` (Bewilligung), ``new`` (new period), ``calculated``."""
    nav = "Stammdaten" if stage == "master" else "Bewilligung"
    if stage == "master":
        panel = (
            '<div class="al-tabs"><span class="on">Stammdaten</span><span>Bankverbindung</span><span>Vermerke</span>'
            '</div><div class="al-panel"><fieldset><legend>Antragstellende Person</legend><div class="al-grid">'
            '<label>Name</label><div class="al-in ro">Mustermann</div><label>Vorname</label>'
            '<div class="al-in ro">Erika</div><label>Geburtsdatum</label><div class="al-in ro">14.03.1986</div>'
            '<label>Familienstand</label><div class="al-in ro">verheiratet</div><label>Straße</label>'
            '<div class="al-in">Lindenallee 12</div><label>PLZ / Ort</label><div class="al-in">12345 Musterstadt'
            "</div></div></fieldset><fieldset><legend>Personen der Bedarfsgemeinschaft</legend><table class='al-t'>"
            "<thead><tr><th>Name</th><th>Geburtsdatum</th><th>Rolle</th><th>Erwerbsfähig</th></tr></thead><tbody>"
            "<tr><td>Mustermann, Erika</td><td>14.03.1986</td><td>Antragstellerin</td><td>ja</td></tr>"
            "<tr><td>Mustermann, Max</td><td>02.09.1984</td><td>Partner</td><td>ja</td></tr>"
            "<tr><td>Mustermann, Lina</td><td>11.05.2015</td><td>Kind</td><td>–</td></tr>"
            "<tr><td>Mustermann, Tom</td><td>27.01.2021</td><td>Kind</td><td>–</td></tr></tbody></table></fieldset>"
            "</div>"
        )
    else:
        periods = [
            ("01.12.2025", "30.11.2026", "bewilligt", "1.846,32 €", False),
            ("01.12.2024", "30.11.2025", "abgeschlossen", "1.792,10 €", False),
        ]
        if stage != "calculated":
            periods.append(("01.06.2024", "30.11.2024", "abgeschlossen", "1.801,55 €", False))
        if stage in ("new", "calculated"):
            periods.insert(0, ("01.12.2026", "30.11.2027", "in Erfassung", "–", True))
        rows = "".join(
            f'<tr class="{"sel" if new else ""}"><td>{start}</td><td>{end}</td><td>{state}</td>'
            f'<td class="r">{amount}</td></tr>'
            for start, end, state, amount, new in periods
        )
        table = (
            '<fieldset><legend>Bewilligungszeiträume</legend><table class="al-t"><thead><tr><th>von</th><th>bis</th>'
            f'<th>Status</th><th class="r">Gesamtanspruch mtl.</th></tr></thead><tbody>{rows}</tbody></table>'
            '<div style="display:flex;gap:8px;margin-top:8px">'
            f'<span class="al-btn"{hl(highlight, "wba")}>{icon("plus", 14)}Weiterbewilligung anlegen</span>'
            f'<span class="al-btn">{icon("file", 14)}Änderung erfassen</span></div></fieldset>'
        )
        extra = ""
        if stage == "approvals":
            extra = (
                '<div class="al-hint">Der Bewilligungszeitraum endet am 30.11.2026. In der E-Akte liegt ein '
                "Weiterbewilligungsantrag vom 23.11.2026 vor.</div>"
            )
        if stage in ("new", "calculated"):
            extra = (
                f'<fieldset{hl(highlight, "period")}><legend>Neuer Bewilligungszeitraum</legend><div class="al-grid">'
                '<label>Beginn</label><div class="al-in req">01.12.2026</div><label>Ende</label>'
                '<div class="al-in req">30.11.2027</div><label>Antragsdatum</label><div class="al-in req">23.11.2026'
                '</div><label>Dauer</label><div class="al-in ro">12 Monate</div><label>Daten übernehmen aus</label>'
                '<div class="al-in ro">BWZ 12/2025 – 11/2026</div><label>Änderungen laut WBA</label>'
                '<div class="al-in">keine</div></div><div style="display:flex;gap:8px;margin-top:10px">'
                f'<span class="al-btn pri"{hl(highlight, "calc")}>{icon("calc", 14)}Berechnen</span>'
                f'<span class="al-btn">{icon("save", 14)}Zwischenspeichern</span></div></fieldset>'
            )
        if stage == "calculated":
            extra += (
                f"<fieldset{hl(highlight, 'result')}><legend>Berechnungsergebnis Dezember 2026</legend>"
                '<table class="al-t"><thead><tr><th>Person</th><th class="r">Regelbedarf</th><th class="r">KdU</th>'
                '<th class="r">Einkommen (anrechenbar)</th><th class="r">Anspruch</th></tr></thead><tbody>'
                '<tr><td>Mustermann, Erika</td><td class="r">506,00 €</td><td class="r">218,50 €</td>'
                '<td class="r">0,00 €</td><td class="r">724,50 €</td></tr><tr><td>Mustermann, Max</td>'
                '<td class="r">506,00 €</td><td class="r">218,50 €</td><td class="r">724,50 €</td>'
                '<td class="r">0,00 €</td></tr><tr><td>Mustermann, Lina</td><td class="r">390,00 €</td>'
                '<td class="r">218,50 €</td><td class="r">255,00 €</td><td class="r">353,50 €</td></tr>'
                '<tr><td>Mustermann, Tom</td><td class="r">357,00 €</td><td class="r">218,50 €</td>'
                '<td class="r">255,00 €</td><td class="r">320,50 €</td></tr><tr><td><b>Summe BG</b></td><td></td>'
                '<td></td><td></td><td class="r"><b>1.398,50 €</b></td></tr></tbody></table>'
                f'<div class="ok" style="margin-top:6px">{icon("check", 14, 2.4)} Berechnung ohne Fehler. '
                "Bescheid kann erstellt werden.</div></fieldset>"
            )
        panel = (
            '<div class="al-tabs"><span class="on">Bewilligungszeiträume</span><span>Vorläufigkeit</span>'
            f'<span>Sanktionen / Minderungen</span></div><div class="al-panel">{table}{extra}</div>'
        )
    body = _case_head() + panel
    return _allegro(body, f"ALLEGRO – Leistungsakte {BG} (Mustermann, Erika)", True, nav, highlight)


# ---------------------------------------------------------------------------------------------------------------
# jobcenter.digital inbox (staff side)

PORTAL_CSS = """
.jd-top { height: 52px; display: flex; align-items: center; gap: 14px; padding: 0 20px; background: #fff;
  border-bottom: 1px solid #dfe3e8; }
.jd-logo { display: flex; align-items: center; gap: 8px; font: bold 17px "Liberation Sans", Arial; color: #173b6b; }
.jd-logo i { width: 26px; height: 26px; border-radius: 6px; background: linear-gradient(135deg, #e2001a 0 50%,
  #173b6b 50%); display: block; }
.jd-logo small { font-weight: normal; font-size: 12px; color: #5a6b7d; }
.jd-top .r { margin-left: auto; display: flex; gap: 18px; align-items: center; font-size: 12.5px; color: #334; }
.jd-main { display: flex; height: calc(100% - 52px); }
.jd-nav { width: 210px; background: #f5f7fa; border-right: 1px solid #dfe3e8; padding: 12px 0; }
.jd-nav div { display: flex; align-items: center; gap: 9px; padding: 9px 18px; color: #2b3a4a; }
.jd-nav div.on { background: #e4ecf7; color: #173b6b; font-weight: bold; box-shadow: inset 3px 0 #173b6b; }
.jd-nav .badge { margin-left: auto; background: #e2001a; color: #fff; }
.jd-list { width: 400px; border-right: 1px solid #dfe3e8; display: flex; flex-direction: column; }
.jd-filter { display: flex; gap: 6px; padding: 10px 12px; border-bottom: 1px solid #dfe3e8; }
.jd-msg { padding: 10px 14px; border-bottom: 1px solid #eef0f3; font-size: 12.5px; }
.jd-msg .h { display: flex; justify-content: space-between; }
.jd-msg .s { margin-top: 2px; }
.jd-msg .p { color: #6a737d; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.jd-msg.unread .h b::before { content: ""; display: inline-block; width: 8px; height: 8px; border-radius: 50%;
  background: #e2001a; margin-right: 6px; }
.jd-msg.sel { background: #e4ecf7; box-shadow: inset 3px 0 #173b6b; }
.jd-read { flex: 1; padding: 18px 24px; display: flex; flex-direction: column; gap: 12px; min-width: 0; }
.jd-read h2 { margin: 0; font-size: 18px; color: #173b6b; }
.jd-meta { font-size: 12.5px; color: #5a6b7d; }
.jd-text { font-size: 13.5px; line-height: 1.55; }
.jd-att { display: flex; gap: 10px; }
.jd-file { display: flex; align-items: center; gap: 10px; padding: 8px 12px; border: 1px solid #dfe3e8;
  border-radius: 6px; font-size: 12.5px; }
.jd-file .i { color: #c62828; }
.jd-actions { display: flex; gap: 8px; }
.jd-btn { display: inline-flex; align-items: center; gap: 6px; padding: 8px 14px; border-radius: 4px;
  border: 1px solid #173b6b; color: #173b6b; background: #fff; font-weight: bold; font-size: 12.5px; }
.jd-btn.pri { background: #173b6b; color: #fff; }
.jd-reply { border: 1px solid #b9c4d0; border-radius: 6px; }
.jd-reply .t { padding: 8px 12px; border-bottom: 1px solid #dfe3e8; font-size: 12.5px; background: #f5f7fa; }
.jd-reply .b { padding: 10px 12px; min-height: 130px; font-size: 13.5px; line-height: 1.55; }
.jd-note { display: flex; align-items: center; gap: 8px; padding: 8px 12px; border-radius: 4px; background: #e3f4e7;
  color: #1a5d2b; font-size: 12.5px; }
"""

MESSAGES = [
    ("Mustermann, Erika", "Heute 08:14", "Unterlagen zum Weiterbewilligungsantrag", "Guten Tag Frau Schulz, anbei "
     "sende ich Ihnen die angeforderten Kontoauszüge …", True),
    ("Kaya, Emre", "Heute 07:51", "Termin am Donnerstag", "Ich kann am Donnerstag leider nicht, weil ich ein "
     "Vorstellungsgespräch habe …", True),
    ("Yılmaz, Derya", "Gestern 17:22", "Mietbescheinigung", "Hier ist die neue Mietbescheinigung vom Vermieter.", True),
    ("Schröder, Lena", "Gestern 11:05", "Krankmeldung", "Ich bin bis Freitag krankgeschrieben, die Bescheinigung …",
     False),
    ("Nowak, Pawel", "20.11.2026", "Neue Arbeitsstelle ab 01.12.", "Ich habe ab dem 1. Dezember eine Stelle als "
     "Lagerhelfer gefunden …", False),
    ("Hoffmann, Birgit", "19.11.2026", "Frage zur Nebenkostenabrechnung", "Muss ich die Nachzahlung selbst "
     "bezahlen?", False),
    ("Becker, Thomas", "18.11.2026", "Antwort: Einladung", "Vielen Dank, ich komme gerne zum Termin.", False),
]  # fmt: skip


def portal_inbox(stage: str, highlight: str | None = None) -> str:
    """The jobcenter.digital inbox: ``list``, ``open`` (a message), ``saved`` (attachments filed), ``reply``."""
    nav = "".join(
        f'<div class="{"on" if label == "Postfach" else ""}"{hl(highlight, "nav") if label == "Postfach" else ""}>'
        f"{icon(name, 16)}{label}{f'<span class=badge>{count}</span>' if count else ''}</div>"
        for name, label, count in [
            ("home", "Übersicht", 0),
            ("mail", "Postfach", 3),
            ("file", "Online-Anträge", 5),
            ("refresh", "Veränderungen", 2),
            ("upload", "Nachweise", 4),
            ("calendar", "Termine", 0),
            ("gear", "Einstellungen", 0),
        ]
    )
    selected = 0 if stage != "list" else None
    messages = "".join(
        f'<div class="jd-msg{" unread" if unread and not (i == 0 and selected == 0) else ""}'
        f'{" sel" if i == selected else ""}"{hl(highlight, "msg") if i == 0 else ""}><div class="h"><b>{name}</b>'
        f'<span class="muted">{when}</span></div><div class="s">{subject}</div><div class="p">{preview}</div></div>'
        for i, (name, when, subject, preview, unread) in enumerate(MESSAGES)
    )
    if selected is None:
        read = (
            '<div class="jd-read" style="align-items:center;justify-content:center;color:#8593a3">'
            f"{icon('mail', 54, 1.2)}"
            "<div>Wählen Sie links eine Nachricht aus.</div><div class='muted'>3 ungelesene Nachrichten im Postfach "
            "Leistung Team 1</div></div>"
        )
    else:
        files = "".join(
            f'<div class="jd-file">{icon("file", 20)}<div><b>{name}</b><br>'
            f'<span class="muted">{size}</span></div></div>'
            for name, size in [
                ("Kontoauszug_Oktober.pdf", "PDF · 412 KB"),
                ("Kontoauszug_November.pdf", "PDF · 388 KB"),
            ]
        )
        saved = (
            f'<div class="jd-note">{icon("check", 16, 2.4)}2 Anlagen wurden in die E-Akte übernommen (BG {BG}, '
            "Dokumentart Kontoauszüge).</div>"
            if stage in ("saved", "reply")
            else ""
        )
        reply = ""
        if stage == "reply":
            reply = (
                '<div class="jd-reply"><div class="t">Antwort an Mustermann, Erika · Betreff: AW: Unterlagen zum '
                'Weiterbewilligungsantrag</div><div class="b">Guten Tag Frau Mustermann,<br><br>vielen Dank, Ihre '
                "Kontoauszüge sind bei uns eingegangen. Wir melden uns, falls wir noch etwas benötigen.<br><br>"
                'Mit freundlichen Grüßen<br>Tanja Schulz<span class="caret"></span></div></div>'
            )
            actions = (
                f'<div class="jd-actions"><span class="jd-btn pri"{hl(highlight, "send")}>{icon("send", 15)}Senden'
                f'</span><span class="jd-btn">{icon("x", 15)}Verwerfen</span></div>'
            )
        else:
            actions = (
                f'<div class="jd-actions"><span class="jd-btn{" pri" if stage == "open" else ""}"'
                f"{hl(highlight, 'file')}>{icon('download', 15)}Anlagen in E-Akte übernehmen</span>"
                f'<span class="jd-btn{" pri" if stage == "saved" else ""}"{hl(highlight, "reply")}>'
                f"{icon('reply', 15)}Antworten</span>"
                f"<span class='jd-btn'>{icon('forward', 15)}Weiterleiten</span></div>"
            )
        read = (
            '<div class="jd-read"><h2>Unterlagen zum Weiterbewilligungsantrag</h2><div class="jd-meta">Von '
            f"<b>Erika Mustermann</b> (Kundennummer {CUSTOMER_NUMBER}, BG {BG}) · heute, 08:14 · über "
            'jobcenter.digital</div><div class="jd-text">Guten Tag Frau Schulz,<br><br>anbei sende ich Ihnen die '
            "angeforderten Kontoauszüge für Oktober und November. Die Lohnabrechnung meines Mannes haben Sie schon "
            "per Post bekommen.<br><br>Viele Grüße<br>Erika Mustermann</div>"
            f'<div class="jd-att">{files}</div>{saved}{reply}{actions}</div>'
        )
    body = (
        '<div class="jd-top"><span class="jd-logo"><i></i>jobcenter.digital <small>Bearbeitung für Jobcenter</small>'
        f'</span><span class="r">{icon("search", 16)}<span>Postfach: Leistung Team 1 {icon("down", 12)}</span>'
        f"<span>{icon('bell', 16)}</span><span>{icon('user', 16)} Tanja Schulz</span></span></div>"
        f'<div class="jd-main"><nav class="jd-nav">{nav}</nav><div class="jd-list"><div class="jd-filter">'
        '<span class="ea-chip on">Alle</span><span class="ea-chip">Ungelesen (3)</span><span class="ea-chip">Mit Anlage'
        f"</span></div>{messages}</div>{read}</div>"
    )
    url = "https://jobcenter.digital.intranet.example/bearbeitung/postfach"
    return page(
        browser("Postfach – jobcenter.digital", "jd", "#173b6b", url, body), BROWSER_CSS + PORTAL_CSS + E_AKTE_CSS
    )


# ---------------------------------------------------------------------------------------------------------------
# Video consultation

VIDEO_CSS = """
.vk { position: absolute; inset: 0; display: flex; flex-direction: column; background: #1e2430; color: #e8ecf2; }
.vk-top { height: 50px; display: flex; align-items: center; gap: 14px; padding: 0 18px; background: #151a23;
  border-bottom: 1px solid #2c3442; }
.vk-top b { font-size: 15px; }
.vk-top .r { margin-left: auto; display: flex; gap: 16px; align-items: center; font-size: 12.5px; color: #b6c0ce; }
.vk-main { flex: 1; display: flex; min-height: 0; }
.vk-side { width: 260px; background: #171c26; border-right: 1px solid #2c3442; padding: 10px 0; }
.vk-side div { display: flex; align-items: center; gap: 10px; padding: 10px 18px; color: #c7d0dc; }
.vk-side div.on { background: #25406b; color: #fff; font-weight: bold; }
.vk-side .badge { margin-left: auto; background: #f0b429; color: #222; }
.vk-content { flex: 1; padding: 18px 22px; display: flex; align-items: flex-start; gap: 18px; min-width: 0; }
.vk-card { background: #262d3a; border: 1px solid #343d4d; border-radius: 8px; padding: 14px 16px; }
.vk-card h3 { margin: 0 0 10px; font-size: 14px; color: #fff; }
.vk-appt { display: flex; align-items: center; gap: 12px; padding: 10px 0; border-bottom: 1px solid #343d4d;
  font-size: 13px; }
.vk-appt .t { width: 52px; color: #9fb0c6; }
.vk-appt .who { flex: 1; }
.vk-appt .state { font-size: 12px; padding: 3px 8px; border-radius: 10px; }
.wait { background: #3b3215; color: #f6c445; } .plan { background: #2c3442; color: #9fb0c6; }
.done { background: #1b3a25; color: #7dd197; }
.vk-btn { display: inline-flex; align-items: center; gap: 7px; padding: 8px 14px; border-radius: 6px;
  background: #2f6fdb; color: #fff; font-weight: bold; font-size: 12.5px; }
.vk-btn.ghost { background: #343d4d; color: #e8ecf2; font-weight: normal; }
.vk-cam { position: relative; height: 270px; border-radius: 8px; background: radial-gradient(circle at 50% 40%,
  #5a6578, #2a3140 70%); overflow: hidden; }
.vk-cam svg.person { position: absolute; left: 50%; bottom: 0; transform: translateX(-50%); }
.vk-cam .lab { position: absolute; left: 10px; bottom: 10px; padding: 3px 8px; border-radius: 4px;
  background: rgba(0,0,0,.55); font-size: 12px; }
.vk-dev { display: grid; grid-template-columns: 24px 1fr auto; gap: 10px 8px; align-items: center; font-size: 13px;
  margin-top: 12px; }
.vk-sel { padding: 5px 10px; border: 1px solid #465167; border-radius: 5px; background: #1e2430; color: #e8ecf2; }
.vk-level { display: inline-block; width: 110px; height: 6px; border-radius: 3px; background: #343d4d;
  vertical-align: middle; overflow: hidden; }
.vk-level i { display: block; width: 62%; height: 6px; background: #45c26b; }
.vk-call { position: relative; flex: 1; margin: 14px; border-radius: 10px; overflow: hidden;
  background: radial-gradient(circle at 50% 35%, #6c7689, #2c3341 72%); }
.vk-self { position: absolute; right: 16px; top: 16px; width: 220px; height: 138px; border-radius: 8px;
  background: radial-gradient(circle at 50% 40%, #4d586b, #232a36 75%); border: 2px solid #3d4759; overflow: hidden; }
.vk-bar { position: absolute; left: 50%; bottom: 18px; transform: translateX(-50%); display: flex; gap: 12px;
  padding: 10px 14px; border-radius: 14px; background: rgba(16,20,28,.85); }
.vk-bar span { width: 48px; height: 48px; border-radius: 50%; display: grid; place-items: center; background: #343d4d;
  color: #fff; }
.vk-bar span.end { width: auto; padding: 0 18px; border-radius: 24px; background: #d93025; gap: 8px; display: flex;
  align-items: center; font-weight: bold; }
.vk-timer { position: absolute; left: 16px; top: 16px; padding: 4px 10px; border-radius: 5px;
  background: rgba(0,0,0,.5); font-size: 12.5px; }
.vk-note { position: absolute; left: 16px; bottom: 24px; padding: 4px 10px; border-radius: 5px;
  background: rgba(0,0,0,.5); font-size: 12.5px; }
"""


def _person(width: int, color: str = "#c9d2de", shirt: str = "#3d5a80") -> str:
    height = int(width * 0.9)
    return (
        f'<svg class="person" width="{width}" height="{height}" viewBox="0 0 100 90"><circle cx="50" cy="30" r="17" '
        f'fill="{color}"/><path d="M14 90c2-22 17-34 36-34s34 12 36 34z" fill="{shirt}"/></svg>'
    )


def video_room(stage: str, highlight: str | None = None) -> str:
    """The video consultation: ``today`` (appointments), ``check`` (devices), ``waiting`` (someone waits), ``call``."""
    side = "".join(
        f'<div class="{"on" if label == ("Warteraum" if stage != "today" else "Meine Termine") else ""}"'
        f"{hl(highlight, 'room') if label == 'Warteraum' else ''}>{icon(name, 17)}{label}"
        f"{'<span class=badge>1</span>' if label == 'Warteraum' and stage in ('waiting', 'today') else ''}</div>"
        for name, label in [
            ("calendar", "Meine Termine"),
            ("users", "Warteraum"),
            ("video", "Spontanes Gespräch"),
            ("gear", "Geräte und Einstellungen"),
            ("info", "Hilfe und Datenschutz"),
        ]
    )
    appointments = [
        ("08:30", "Becker, Thomas", "Beratung Weiterbildung", "done", "beendet"),
        ("10:00", "Mustermann, Erika", "Beratungsgespräch", "wait" if stage != "today" else "plan",
         "wartet seit 2 Min." if stage != "today" else "geplant"),
        ("11:30", "Kaya, Emre", "Folgegespräch", "plan", "geplant"),
        ("13:00", "Lange, Mia (U25)", "Erstgespräch", "plan", "geplant"),
        ("14:30", "Nowak, Pawel", "Arbeitsaufnahme", "plan", "geplant"),
    ]  # fmt: skip
    if stage == "call":
        content = (
            f'<div class="vk-call">{_person(520, "#d5b8a0", "#7b4b6b")}<div class="vk-timer">{icon("lock", 13)} '
            "Ende-zu-Ende verschlüsselt · 00:04:12</div><div class='vk-self'>"
            f'{_person(150)}</div><div class="vk-note">Erika Mustermann</div><div class="vk-bar">'
            f"<span>{icon('mic', 20)}</span><span>{icon('video', 20)}</span><span>{icon('screen', 20)}</span>"
            f'<span>{icon("chat", 20)}</span><span class="end"{hl(highlight, "end")}>{icon("phone", 18)}Gespräch '
            "beenden</span></div></div>"
        )
        content = f'<div style="flex:1;display:flex">{content}</div>'
    else:
        rows = "".join(
            f'<div class="vk-appt"{hl(highlight, "appt") if who.startswith("Mustermann") else ""}><span class="t">'
            f'{time}</span><span class="who"><b>{who}</b><br><span style="color:#9fb0c6;font-size:12px">{what}</span>'
            f'</span><span class="state {state}">{label}</span>'
            + (
                f'<span class="vk-btn"{hl(highlight, "admit")}>{icon("right", 14, 2.2)}Ins Gespräch holen</span>'
                if stage == "waiting" and who.startswith("Mustermann")
                else ""
            )
            + "</div>"
            for time, who, what, state, label in appointments
        )
        title = "Heute, Montag, 23. November 2026" if stage == "today" else "Warteraum und Termine heute"
        check = (
            f'<div class="vk-card" style="width:380px"{hl(highlight, "devices")}><h3>Ihre Geräte</h3>'
            f'<div class="vk-cam">{_person(230)}<span class="lab">Vorschau: Ihre Kamera</span></div>'
            f'<div class="vk-dev">{icon("video", 18)}<span class="vk-sel">Integrierte Kamera (HD)</span>'
            f'<span class="ok">{icon("check", 16, 2.4)}</span>{icon("mic", 18)}<span class="vk-sel">Headset Jabra '
            f'Evolve2</span><span class="vk-level"><i></i></span>{icon("bell", 18)}<span class="vk-sel">Headset Jabra '
            "Evolve2</span><span class='vk-btn ghost'>Testton</span></div></div>"
        )
        content = (
            f'<div class="vk-card" style="flex:1"><h3>{title}</h3>{rows}<p style="color:#9fb0c6;font-size:12px;'
            'margin-top:14px">Kundinnen und Kunden betreten den Warteraum über den Link in ihrer Einladung. Es wird '
            f"nichts aufgezeichnet.</p></div>{check}"
        )
    body = (
        f'<div class="vk"><div class="vk-top">{icon("video", 20)}<b>Videoberatung</b><span style="color:#9fb0c6">'
        f'Jobcenter Musterstadt</span><span class="r"><span>{icon("shield", 15)} Verbindung sicher</span>'
        f'<span>{icon("user", 15)} Tanja Schulz</span></span></div><div class="vk-main"><nav class="vk-side">{side}'
        f'</nav><div class="vk-content">{content}</div></div></div>'
    )
    url = "https://videoberatung.jobcenter-musterstadt.example/raum/schulz-tanja"
    return page(browser("Videoberatung – Warteraum", "VB", "#2f6fdb", url, body), BROWSER_CSS + VIDEO_CSS)


# ---------------------------------------------------------------------------------------------------------------
# E-mail client

MAIL_CSS = """
.ol-rib-tabs { height: 30px; display: flex; align-items: flex-end; gap: 2px; padding: 0 10px; background: #f3f3f3; }
.ol-rib-tabs span { padding: 6px 12px; font-size: 12.5px; color: #333; }
.ol-rib-tabs span.on { color: #0f6cbd; font-weight: bold; box-shadow: inset 0 -3px #0f6cbd; }
.ol-rib { height: 96px; display: flex; align-items: stretch; gap: 0; padding: 6px 8px 0; background: #fafafa;
  border-bottom: 1px solid #d6d6d6; }
.ol-grp { display: flex; flex-direction: column; padding: 0 10px; border-right: 1px solid #e0e0e0; }
.ol-grp .row { display: flex; gap: 4px; flex: 1; align-items: flex-start; }
.ol-grp .cap { font-size: 11px; color: #666; text-align: center; padding: 2px 0 4px; }
.ol-big { display: flex; flex-direction: column; align-items: center; gap: 3px; width: 84px; height: 66px;
  padding: 4px 2px; border: 1px solid transparent; border-radius: 4px; font-size: 11.5px; text-align: center;
  color: #222; }
.ol-big .i { color: #0f6cbd; }
.ol-big.on { background: #dbe9f7; border-color: #9dc3e8; }
.ol-small { display: flex; flex-direction: column; gap: 3px; font-size: 11.5px; }
.ol-small span { display: flex; align-items: center; gap: 6px; padding: 2px 6px; }
.ol-small .i { color: #0f6cbd; }
.ol-main { position: relative; flex: 1; display: flex; min-height: 0; }
.ol-folders { width: 220px; background: #f5f5f5; border-right: 1px solid #d6d6d6; padding: 10px 0; font-size: 12.5px; }
.ol-folders div { display: flex; gap: 8px; align-items: center; padding: 6px 16px; }
.ol-folders div.on { background: #dbe9f7; font-weight: bold; }
.ol-folders .n { margin-left: auto; color: #0f6cbd; font-weight: bold; }
.ol-list { width: 380px; border-right: 1px solid #d6d6d6; }
.ol-item { padding: 9px 14px; border-bottom: 1px solid #eee; font-size: 12.5px; }
.ol-item .h { display: flex; justify-content: space-between; }
.ol-item.unread b { color: #0f6cbd; }
.ol-read { flex: 1; padding: 20px 26px; font-size: 13.5px; line-height: 1.55; }
.ol-compose { flex: 1; display: flex; flex-direction: column; padding: 12px 18px; gap: 0; }
.ol-bar { display: flex; align-items: center; gap: 10px; padding: 8px 12px; margin-bottom: 8px; border-radius: 3px;
  font-size: 12.5px; }
.ol-bar.sec { background: #e8f2e0; border: 1px solid #b6d7a8; color: #2d5016; }
.ol-hdr { display: grid; grid-template-columns: 86px 1fr; align-items: center; border-bottom: 1px solid #e3e3e3;
  min-height: 36px; }
.ol-hdr .lbl { display: inline-flex; justify-content: center; padding: 4px 0; border: 1px solid #c8c8c8;
  border-radius: 3px; font-size: 12.5px; margin-right: 10px; }
.ol-hdr .rcpt { display: inline-flex; align-items: center; gap: 6px; padding: 2px 8px; border-radius: 12px;
  background: #eef4fb; font-size: 12.5px; }
.ol-send { display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 3px;
  width: 70px; height: 72px; margin-right: 12px; border: 1px solid #c8c8c8; border-radius: 4px; font-size: 12.5px;
  grid-row: span 2; }
.ol-send .i { color: #0f6cbd; }
.ol-body { padding: 16px 4px; font-size: 13.5px; line-height: 1.6; font-family: "Liberation Sans", Arial; }
.ol-menu { position: absolute; z-index: 4; background: #fff; border: 1px solid #c8c8c8; border-radius: 4px;
  box-shadow: 0 6px 18px rgba(0,0,0,.22); padding: 4px 0; font-size: 12.5px; }
.ol-menu div { display: flex; gap: 10px; align-items: center; padding: 7px 16px; }
.ol-menu div.on { background: #dbe9f7; }
.ol-menu .i { color: #0f6cbd; }
"""


def mail_client(stage: str, highlight: str | None = None) -> str:
    """An e-mail client: ``inbox``, ``compose``, ``options`` (options tab), ``menu`` (encrypt menu), ``encrypted``."""
    compose = stage != "inbox"
    tabs = ["Datei", "Nachricht", "Einfügen", "Optionen", "Text formatieren", "Überprüfen", "Hilfe"]
    if not compose:
        tabs = ["Datei", "Start", "Senden/Empfangen", "Ordner", "Ansicht", "Hilfe"]
    current = "Optionen" if stage in ("options", "menu", "encrypted") else ("Nachricht" if compose else "Start")
    tab_html = "".join(
        f'<span class="{"on" if t == current else ""}"{hl(highlight, "tab") if t == "Optionen" else ""}>{t}</span>'
        for t in tabs
    )

    def big(name: str, label: str, key: str = "", on: bool = False) -> str:
        marker = hl(highlight, key) if key else ""
        return f'<span class="ol-big{" on" if on else ""}"{marker}>{icon(name, 26, 1.5)}{label}</span>'

    menu = ""
    if stage == "menu":
        menu = (
            f'<div class="ol-menu" style="left:0;top:70px;width:320px"{hl(highlight, "option")}>'
            f'<div class="on">{icon("lock", 16)}Verschlüsseln (sicheres Postfach)</div>'
            f"<div>{icon('shield', 16)}Verschlüsseln mit S/MIME</div><div>{icon('eye', 16)}Nicht weiterleiten</div>"
            f"<div>{icon('x', 16)}Keine Verschlüsselung</div></div>"
        )
    encrypt = big("lock", "Verschlüsseln ▾", "encrypt", on=stage in ("menu", "encrypted"))

    if not compose:
        ribbon = (
            f'<div class="ol-grp"><div class="row">{big("mail", "Neue E-Mail", "new")}'
            f'{big("calendar", "Neue Elemente")}</div><div class="cap">Neu</div></div><div class="ol-grp">'
            f'<div class="row">{big("x", "Löschen")}{big("folder", "Archivieren")}</div><div class="cap">Löschen</div>'
            f'</div><div class="ol-grp"><div class="row">{big("reply", "Antworten")}{big("users", "Allen antworten")}'
            f'{big("forward", "Weiterleiten")}</div><div class="cap">Antworten</div></div><div class="ol-grp">'
            f'<div class="row">{big("search", "Personen suchen")}</div><div class="cap">Suchen</div></div>'
        )
    elif current == "Optionen":
        ribbon = (
            f'<div class="ol-grp"><div class="row">{big("grid", "Designs")}</div><div class="cap">Designs</div></div>'
            f'<div class="ol-grp"><div class="row">{big("users", "Bcc")}{big("user", "Von")}</div>'
            f'<div class="cap">Felder anzeigen</div></div><div class="ol-grp"><div class="row">'
            f'<span style="position:relative">{encrypt}{menu}</span>{big("shield", "Signieren")}'
            f'</div><div class="cap">Verschlüsseln</div></div><div class="ol-grp"><div class="row">'
            '<div class="ol-small"><span><input type="checkbox"> Übermittlungsbestätigung anfordern</span>'
            '<span><input type="checkbox"> Lesebestätigung anfordern</span></div></div><div class="cap">Verlauf</div>'
            f'</div><div class="ol-grp"><div class="row">{big("clock", "Übermittlung verzögern")}'
            f'{big("reply", "Antworten richten an")}</div><div class="cap">Weitere Optionen</div></div>'
        )
    else:
        ribbon = (
            f'<div class="ol-grp"><div class="row">{big("file", "Einfügen")}</div><div class="cap">Zwischenablage</div>'
            '</div><div class="ol-grp"><div class="row"><div class="ol-small"><span><b>F</b>&nbsp;<i>K</i>&nbsp;<u>U'
            "</u></span><span>Liberation Sans · 11</span></div></div><div class='cap'>Standardtext</div></div>"
            f'<div class="ol-grp"><div class="row">{big("users", "Adressbuch")}{big("check", "Namen überprüfen")}</div>'
            f'<div class="cap">Namen</div></div><div class="ol-grp"><div class="row">{big("clip", "Datei anfügen")}'
            f'{big("link", "Link")}</div><div class="cap">Einschließen</div></div>'
            f'<div class="ol-grp"><div class="row">{big("lock", "Vertraulich")}</div><div class="cap">Vertraulichkeit'
            "</div></div>"
        )
    folders = "".join(
        f'<div class="{"on" if name == "Posteingang" else ""}">{icon(ic, 15)}{name}'
        f"{f'<span class=n>{n}</span>' if n else ''}</div>"
        for ic, name, n in [
            ("inbox", "Posteingang", 6),
            ("file", "Entwürfe", 1),
            ("send", "Gesendete Elemente", 0),
            ("x", "Gelöschte Elemente", 0),
            ("folder", "Team Leistung 1", 12),
            ("folder", "Schulungen", 0),
            ("folder", "Archiv", 0),
        ]
    )
    if not compose:
        items = "".join(
            f'<div class="ol-item{" unread" if unread else ""}"><div class="h"><b>{who}</b><span class="muted">{when}'
            f'</span></div><div>{subject}</div><div class="muted">{preview}</div></div>'
            for who, when, subject, preview, unread in [
                (
                    "Teamleitung Leistung 1",
                    "08:02",
                    "Teambesprechung Donnerstag",
                    "Bitte bringt eure Fälle mit …",
                    True,
                ),
                ("IT-Service", "Gestern", "Wartung E-Akte am Samstag", "Am Samstag ist die E-Akte von 8 bis …", True),
                (
                    "Quali-Kompass",
                    "Gestern",
                    "Neue Klickstrecke: ALLEGRO Weiterbewilligung",
                    "Im Quali-Kompass …",
                    False,
                ),
                ("Personalrat", "20.11.", "Einladung Personalversammlung", "Liebe Kolleginnen und Kollegen …", False),
                (
                    "Mustermann, Erika (extern)",
                    "19.11.",
                    "Frage zu meinem Bescheid",
                    "Guten Tag, ich habe eine Frage …",
                    False,
                ),
            ]
        )
        main = (
            f'<div class="ol-folders">{folders}</div><div class="ol-list">{items}</div><div class="ol-read"><b>'
            "Teambesprechung Donnerstag</b><div class='muted'>Teamleitung Leistung 1 · heute 08:02</div><br>Liebe "
            "Kolleginnen und Kollegen,<br><br>am Donnerstag um 9 Uhr besprechen wir die offenen Weiterbewilligungen. "
            "Bitte bringt schwierige Fälle mit.<br><br>Viele Grüße</div>"
        )
    else:
        notice = ""
        if stage == "encrypted":
            notice = (
                f'<div class="ol-bar sec"{hl(highlight, "notice")}>{icon("lock", 16)}<b>Verschlüsselt:</b> Diese '
                "Nachricht wird verschlüsselt gesendet. Frau Mustermann erhält eine Benachrichtigung mit einem Link "
                "zum sicheren Postfach.</div>"
            )
        main = (
            '<div class="ol-compose">' + notice + '<div style="display:grid;grid-template-columns:auto 1fr">'
            f'<div class="ol-send"{hl(highlight, "send")}>{icon("send", 22, 1.6)}Senden</div><div>'
            '<div class="ol-hdr"><span class="lbl">Von ▾</span><span>leistung-team1.jobcenter-musterstadt@'
            'jobcenter-ge.example</span></div><div class="ol-hdr"><span class="lbl">An…</span><span>'
            f'<span class="rcpt">{icon("user", 13)}Erika Mustermann &lt;erika.mustermann@example.de&gt;</span>'
            '</span></div></div></div><div class="ol-hdr" style="margin-left:82px"><span class="lbl">Cc…</span>'
            '<span></span></div><div class="ol-hdr" style="grid-template-columns:82px 1fr"><span class="muted">Betreff'
            '</span><span>Ihr Bescheid zur Weiterbewilligung – Unterlagen</span></div><div class="ol-hdr" '
            f'style="grid-template-columns:82px 1fr"><span class="muted">Angefügt</span><span class="rcpt">'
            f"{icon('file', 13)}Bescheid_WBA_{BG}.pdf (186 KB)</span></div>"
            '<div class="ol-body">Guten Tag Frau Mustermann,<br><br>wie besprochen sende ich Ihnen den Bescheid über '
            "die Weiterbewilligung Ihrer Leistungen ab dem 01.12.2026 als PDF.<br>Bitte prüfen Sie die Angaben. Bei "
            "Fragen erreichen Sie mich unter 0381 12345-678.<br><br>Mit freundlichen Grüßen<br>Tanja Schulz<br>"
            "Jobcenter Musterstadt – Leistung Team 1</div></div>"
        )
    title = (
        "Posteingang – Leistung Team 1 – Outlook"
        if not compose
        else "Ihr Bescheid zur Weiterbewilligung – Nachricht (HTML)"
    )
    body = (
        f'<div class="ol-rib-tabs">{tab_html}</div><div class="ol-rib">{ribbon}</div><div class="ol-main">{main}</div>'
    )
    return page(desktop_window(title, "O", "#0f6cbd", body), MAIL_CSS)
