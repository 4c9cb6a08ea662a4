#pragma once
// Text drawing (QPainter fonts) needs a QGuiApplication; the CLI makes an offscreen one on first use.
namespace lunglens::cli {
void ensureOffscreenGui();
}
