#pragma once
// Text with a dark halo, readable on bright bone and on black air alike: overlay corners, labels, letters.
#include <QPainter>
#include <QRectF>
#include <QString>

namespace lunglens::ui::paint {

// Draws `text` (lines separated by '\n') in the painter's font inside `box`, aligned by `align` (left or right,
// top or bottom). Returns the rectangle actually covered.
QRectF paintHaloText(QPainter& painter, const QRectF& box, const QString& text, const QColor& colour,
                     Qt::Alignment align = Qt::AlignLeft | Qt::AlignTop);

}  // namespace lunglens::ui::paint
