#include "ui/teaching/presentation_window.h"

#include <QKeyEvent>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <algorithm>

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

void PresentationWindow::setStackSource(StackSource source) {
  stackSource_ = std::move(source);
  stack_.clear();  // the current item is loaded again, as a stack
  update_();
}

void PresentationWindow::update_() {
  const auto* row = quiz_->current();
  const bool reveal = quiz_->revealed();
  if (!reveal) heatmap_ = false;
  if (row) {
    const bool same = !stack_.empty() && stack_[static_cast<std::size_t>(quizAt_)].file == row->file &&
                      stack_[static_cast<std::size_t>(quizAt_)].frame == row->frame;
    if (!same) {
      // The item's stack, with the quiz slice itself (its AI results and map) in its place; one slice without one.
      stack_ = stackSource_ ? stackSource_(*row) : std::vector<core::library::QueryRow>{};
      const auto it = std::find_if(stack_.begin(), stack_.end(), [&](const auto& s) { return s.slice == row->slice; });
      quizAt_ = it == stack_.end() ? 0 : static_cast<int>(it - stack_.begin());
      if (it == stack_.end()) stack_ = {*row};
      else *it = *row;
      stackAt_ = quizAt_;
      window_ = core::volume::lungWindow();
      loadStackSlice();
    }
  } else {
    stack_.clear();
    slice_.reset();
    picture_ = heatPicture_ = QImage();
    error_.clear();
  }
  QString position = quiz_->position();
  if (stack_.size() > 1) position += tr("   ·   stack %1 / %2").arg(stackAt_ + 1).arg(stack_.size());
  if (window_.name != "lung") position += "   ·   " + QString::fromStdString(window_.name);
  position_->setText(position);
  prompt_->setText(quiz_->prompt());
  ai_->setText(quiz_->aiAnswer());
  teacher_->setText(quiz_->teacherAnswer());
  ai_->setVisible(reveal);
  teacher_->setVisible(reveal);
  disclaimer_->setText(quiz_->disclaimer());
  disclaimer_->setVisible(reveal);
  // H is offered only where there is a map to show: the quiz slice's, once the answers are revealed.
  const bool hasMap = row && row->gradcam && !row->gradcam->grid.empty();
  QString hint = reveal ? tr("→ next   ← previous   Shift+→ next case   Space hide") + (hasMap ? tr("   H heatmap") : "")
                        : tr("→ next   ← previous   Shift+→ next case   Space reveal the answers");
  if (stack_.size() > 1) hint += tr("   wheel or , . scroll   W window");
  hint_->setText(hint + tr("   Esc leave"));
  update();
}

void PresentationWindow::loadStackSlice() {
  error_.clear();
  slice_.reset();
  picture_ = heatPicture_ = QImage();
  if (stack_.empty()) return;
  const auto& row = stack_[static_cast<std::size_t>(stackAt_)];
  try {
    slice_ = core::library::loadSliceImage(row);
    picture_ = slicePicture(*slice_, window_);
    if (onQuizSlice()) heatPicture_ = withHeatmap(picture_, *slice_, row);
  } catch (const std::exception&) {
    error_ = tr("This slice cannot be shown: its file is missing or unreadable.");
  }
}

bool PresentationWindow::onQuizSlice() const { return stackAt_ == quizAt_; }

int PresentationWindow::shownSlice() const {
  return stack_.empty() ? -1 : stack_[static_cast<std::size_t>(stackAt_)].slice;
}

void PresentationWindow::scrollStack(int steps) {
  if (stack_.empty()) return;
  const int at = std::clamp(stackAt_ + steps, 0, static_cast<int>(stack_.size()) - 1);
  if (at == stackAt_) return;
  stackAt_ = at;
  loadStackSlice();
  update_();
}

void PresentationWindow::nextWindow() {
  const std::string& name = window_.name;
  window_ = name == "lung"          ? core::volume::mediastinumWindow()
            : name == "mediastinum" ? core::volume::boneWindow()
                                    : core::volume::lungWindow();
  loadStackSlice();
  update_();
}

const QImage& PresentationWindow::shownPicture() const {
  const bool map = heatmap_ && quiz_->revealed() && onQuizSlice() && !heatPicture_.isNull();
  return map ? heatPicture_ : picture_;
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
  if (!target.isEmpty()) painter.drawImage(target, shownPicture());
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
    case Qt::Key_Comma: scrollStack(-1); return;
    case Qt::Key_Period: scrollStack(1); return;
    case Qt::Key_W: nextWindow(); return;
    case Qt::Key_Escape: close(); return;
    default: QWidget::keyPressEvent(event);
  }
}

bool PresentationWindow::event(QEvent* event) {
  // Claim the keys before any application-wide shortcut of the main window does (its H toggles the viewer's
  // heatmap): without this, H in presentation mode never arrived here.
  if (event->type() == QEvent::ShortcutOverride) {
    switch (static_cast<QKeyEvent*>(event)->key()) {
      case Qt::Key_Right: case Qt::Key_Left: case Qt::Key_Up: case Qt::Key_Down: case Qt::Key_PageDown:
      case Qt::Key_PageUp: case Qt::Key_N: case Qt::Key_P: case Qt::Key_Space: case Qt::Key_Return:
      case Qt::Key_Enter: case Qt::Key_H: case Qt::Key_Comma: case Qt::Key_Period: case Qt::Key_W:
      case Qt::Key_Escape:
        event->accept();
        return true;
      default: break;
    }
  }
  return QWidget::event(event);
}

void PresentationWindow::wheelEvent(QWheelEvent* event) {
  const int notches = event->angleDelta().y() / 120;
  if (notches != 0) scrollStack(-notches);  // wheel towards the user: the next slice
  event->accept();
}

void PresentationWindow::closeEvent(QCloseEvent* event) {
  emit closed();
  QWidget::closeEvent(event);
}

}  // namespace lunglens::ui::teaching
