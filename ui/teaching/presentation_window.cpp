#include "ui/teaching/presentation_window.h"

#include <QKeyEvent>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>

#include "ui/teaching/quiz_model.h"
#include "ui/teaching/slice_picture.h"

namespace lunglens::ui::teaching {

namespace {

QLabel* bigLabel(QWidget* parent, int pixels, const QColor& colour, bool bold = false) {
  auto* label = new QLabel(parent);
  QFont font = label->font();
  font.setPixelSize(pixels);
  font.setBold(bold);
  label->setFont(font);
  label->setWordWrap(true);
  label->setAlignment(Qt::AlignCenter);
  QPalette p = label->palette();
  p.setColor(QPalette::WindowText, colour);
  label->setPalette(p);
  return label;
}

}  // namespace

PresentationWindow::PresentationWindow(QuizModel* quiz, QWidget* parent) : QWidget(parent), quiz_(quiz) {
  setWindowTitle(tr("LungLens — presentation"));
  setAttribute(Qt::WA_OpaquePaintEvent);
  setFocusPolicy(Qt::StrongFocus);
  QPalette p = palette();
  p.setColor(QPalette::Window, Qt::black);
  setPalette(p);
  setAutoFillBackground(true);

  position_ = bigLabel(this, 22, QColor(140, 140, 140));
  position_->setAlignment(Qt::AlignRight);
  prompt_ = bigLabel(this, 34, Qt::white, true);
  ai_ = bigLabel(this, 32, QColor(255, 190, 60), true);
  teacher_ = bigLabel(this, 32, QColor(120, 220, 140), true);
  disclaimer_ = bigLabel(this, 18, QColor(200, 160, 90));
  hint_ = bigLabel(this, 18, QColor(120, 120, 120));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(24, 12, 24, 12);
  layout->addWidget(position_);
  layout->addStretch(1);  // the slice is painted here, behind the layout
  for (QLabel* l : {prompt_, ai_, teacher_, disclaimer_, hint_}) layout->addWidget(l);
  connect(quiz_, &QuizModel::changed, this, &PresentationWindow::update_);
  update_();
}

void PresentationWindow::update_() {
  const auto* row = quiz_->current();
  // (Re)load the picture when the item changed.
  const bool reveal = quiz_->revealed();
  if (!reveal) heatmap_ = false;
  if (row) {
    const bool same = slice_ && !picture_.isNull() && property("row_file").toString().toStdString() == row->file &&
                      property("row_frame").toInt() == row->frame;
    if (!same) {
      error_.clear();
      slice_.reset();
      picture_ = heatPicture_ = QImage();
      try {
        slice_ = core::library::loadSliceImage(*row);
        picture_ = slicePicture(*slice_);
        heatPicture_ = withHeatmap(picture_, *slice_, *row);
      } catch (const std::exception& e) {
        error_ = tr("This slice cannot be shown: its file is missing or unreadable.");
      }
      setProperty("row_file", QString::fromStdString(row->file));
      setProperty("row_frame", row->frame);
    }
  } else {
    slice_.reset();
    picture_ = heatPicture_ = QImage();
  }
  position_->setText(quiz_->position());
  prompt_->setText(quiz_->prompt());
  ai_->setText(quiz_->aiAnswer());
  teacher_->setText(quiz_->teacherAnswer());
  ai_->setVisible(reveal);
  teacher_->setVisible(reveal);
  disclaimer_->setText(quiz_->disclaimer());
  disclaimer_->setVisible(reveal);
  hint_->setText(reveal ? tr("→ next   ← previous   Shift+→ next case   Space hide   H heatmap   Esc leave")
                        : tr("→ next   ← previous   Shift+→ next case   Space reveal the answers   Esc leave"));
  update();
}

QString PresentationWindow::visibleText() const {
  QStringList parts;
  for (QLabel* l : {position_, prompt_, ai_, teacher_, disclaimer_, hint_})
    if (l->isVisibleTo(this)) parts << l->text();
  if (!error_.isEmpty()) parts << error_;
  return parts.join('\n');
}

QRectF PresentationWindow::imageRect() const {
  const int top = position_->geometry().bottom() + 8;
  const int bottom = prompt_->geometry().top() - 8;
  if (!slice_ || bottom <= top) return {};
  const double w_mm = slice_->geometry.cols * slice_->geometry.spacing_mm[0];
  const double h_mm = slice_->geometry.rows * slice_->geometry.spacing_mm[1];
  const double scale = std::min(width() / w_mm, (bottom - top) / h_mm);
  return {(width() - w_mm * scale) / 2, top + (bottom - top - h_mm * scale) / 2, w_mm * scale, h_mm * scale};
}

void PresentationWindow::paintEvent(QPaintEvent*) {
  QPainter painter(this);
  painter.fillRect(rect(), Qt::black);
  painter.setRenderHint(QPainter::SmoothPixmapTransform);
  const QRectF target = imageRect();
  if (!target.isEmpty()) painter.drawImage(target, heatmap_ && quiz_->revealed() ? heatPicture_ : picture_);
  if (!error_.isEmpty()) {
    painter.setPen(QColor(220, 120, 120));
    QFont f = font();
    f.setPixelSize(28);
    painter.setFont(f);
    painter.drawText(rect(), Qt::AlignCenter, error_);
  }
}

void PresentationWindow::keyPressEvent(QKeyEvent* event) {
  // Shift or Ctrl with an arrow: the next / previous case rather than the next slice.
  if ((event->modifiers() & (Qt::ShiftModifier | Qt::ControlModifier)) &&
      (event->key() == Qt::Key_Right || event->key() == Qt::Key_Left)) {
    event->key() == Qt::Key_Right ? quiz_->nextCase() : quiz_->previousCase();
    return;
  }
  switch (event->key()) {
    case Qt::Key_Right:
    case Qt::Key_PageDown:
    case Qt::Key_N:
    case Qt::Key_Down: quiz_->next(); return;
    case Qt::Key_Left:
    case Qt::Key_PageUp:
    case Qt::Key_P:
    case Qt::Key_Up: quiz_->previous(); return;
    case Qt::Key_Space:
    case Qt::Key_Return:
    case Qt::Key_Enter: quiz_->setRevealed(!quiz_->revealed()); return;
    case Qt::Key_H:
      // The map points at the answer: only once it is revealed.
      if (quiz_->revealed()) {
        heatmap_ = !heatmap_;
        update();
      }
      return;
    case Qt::Key_Escape: close(); return;
    default: QWidget::keyPressEvent(event);
  }
}

void PresentationWindow::closeEvent(QCloseEvent* event) {
  emit closed();
  QWidget::closeEvent(event);
}

}  // namespace lunglens::ui::teaching
