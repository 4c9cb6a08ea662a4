#include "ui/annotate/annotation_tools.h"

#include <QAction>
#include <QActionGroup>
#include <QInputDialog>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMouseEvent>
#include <QToolBar>
#include <filesystem>

#include "core/common/error.h"
#include "core/dicom/image_number.h"
#include "ui/annotate/annotation_layer.h"
#include "ui/annotate/view_placement.h"
#include "ui/ai/ai_assist.h"
#include "ui/ai/ai_scores_model.h"
#include "ui/viewer/slice_view.h"
#include "ui/viewer/viewer_model.h"

namespace lunglens::ui::annotate {

namespace ann = core::annotation;
namespace fs = std::filesystem;

// Routes the view's left button to the presenter, in view pixels with the view's current placement.
class AnnotationTools::Mouse : public viewer::ViewTool {
 public:
  Mouse(AnnotationPresenter* presenter, viewer::ViewerModel* model, std::function<void()> ended)
      : presenter_(presenter), model_(model), ended_(std::move(ended)) {}
  bool press(QMouseEvent* e) override { return presenter_->press(e->position(), viewPlacement(*model_)); }
  bool move(QMouseEvent* e) override { return presenter_->move(e->position(), viewPlacement(*model_)); }
  bool release(QMouseEvent* e) override {
    const bool used = presenter_->release(e->position(), viewPlacement(*model_));
    ended_();
    return used;
  }

 private:
  AnnotationPresenter* presenter_;
  viewer::ViewerModel* model_;
  std::function<void()> ended_;  // a drag's edits are saved when it ends
};

AnnotationTools::AnnotationTools(viewer::ViewerModel* viewer, viewer::SliceView* view, ai::AiAssist* ai,
                                 QMainWindow* window)
    : QObject(window),
      viewer_(viewer),
      view_(view),
      ai_(ai),
      window_(window),
      mouse_(std::make_unique<Mouse>(&presenter_, viewer, [this]() { saveIfModified(); })),
      layer_(new AnnotationLayer(view, &presenter_, this)) {
  view_->setTool(mouse_.get());
  presenter_.setOnPreviewChanged([this]() { layer_->invalidate(); });
  presenter_.setTextPrompt([this](const std::string& current) -> std::optional<std::string> {
    bool ok = false;
    const QString text = QInputDialog::getText(view_, tr("Annotation Text"), tr("Text:"), QLineEdit::Normal,
                                               QString::fromStdString(current), &ok);
    if (!ok) return std::nullopt;
    return text.trimmed().toStdString();
  });
  connect(viewer_, &viewer::ViewerModel::sliceChanged, this, &AnnotationTools::onSliceChanged);
  buildActions(window);
  updateActions();
}

AnnotationTools::~AnnotationTools() {
  if (view_) view_->setTool(nullptr);
}

void AnnotationTools::buildActions(QMainWindow* window) {
  // Before Help, where readers look for it.
  auto* menu = new QMenu(tr("&Annotate"), window);
  QAction* help = nullptr;
  for (QAction* a : window->menuBar()->actions()) {
    if (a->text().remove('&') == tr("Help")) help = a;
  }
  window->menuBar()->insertMenu(help, menu);
  auto* toolbar = window->addToolBar(tr("Annotate"));
  toolbar->setObjectName("annotate-toolbar");
  tools_ = new QActionGroup(this);
  const struct {
    Tool tool;
    const char* label;
    const char* key;
  } tools[] = {{Tool::Select, "Select / &Pan", "V"},     {Tool::Arrow, "&Arrow", "A"},
               {Tool::Text, "&Text Label", "T"},         {Tool::Length, "&Measure Length", "M"},
               {Tool::Ellipse, "&Ellipse ROI", "E"},     {Tool::Freehand, "&Freehand ROI", "F"}};
  for (const auto& t : tools) {
    auto* a = menu->addAction(tr(t.label));
    a->setCheckable(true);
    a->setData(static_cast<int>(t.tool));
    a->setShortcuts(t.tool == Tool::Select ? QList<QKeySequence>{QKeySequence(t.key), QKeySequence(Qt::Key_Escape)}
                                           : QList<QKeySequence>{QKeySequence(t.key)});
    a->setToolTip(tr("%1 (%2)").arg(QString(tr(t.label)).remove('&'), t.key));
    tools_->addAction(a);
    toolbar->addAction(a);
    connect(a, &QAction::triggered, this, [this, tool = t.tool]() { setTool(tool); });
  }
  toolAction(Tool::Select)->setChecked(true);
  menu->addSeparator();
  delete_ = menu->addAction(tr("&Delete Annotation"), this, [this]() { presenter_.deleteSelected(); });
  delete_->setShortcuts({QKeySequence::Delete, QKeySequence(Qt::Key_Backspace)});
  menu->addAction(tr("Edit Te&xt / Caption…"), this, [this]() { presenter_.editSelectedText(); });
  undo_ = menu->addAction(tr("&Undo"), this, [this]() {
    if (doc_ && doc_->canUndo()) doc_->undo();
  });
  undo_->setShortcut(QKeySequence("Ctrl+Z"));
  redo_ = menu->addAction(tr("&Redo"), this, [this]() {
    if (doc_ && doc_->canRedo()) doc_->redo();
  });
  redo_->setShortcuts({QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")});
  menu->addSeparator();
  auto* bookmark = menu->addAction(tr("&Bookmark Slice…"), this, [this]() {
    if (!doc_) return;
    const auto existing = doc_->state().bookmarkAt(series_.series_uid, viewer_->slice());
    bool ok = false;
    const QString note = QInputDialog::getText(view_, tr("Key Image"), tr("Note for this slice:"), QLineEdit::Normal,
                                               existing ? QString::fromStdString(existing->note) : QString(), &ok);
    if (ok) bookmarkCurrentSlice(note.trimmed().toStdString());
  });
  bookmark->setShortcut(QKeySequence("B"));
  removeBookmark_ = menu->addAction(tr("Remove Bookmark"), this, [this]() { removeCurrentBookmark(); });
  menu->addSeparator();
  auto* exportAction = menu->addAction(tr("E&xport Image…"), this, &AnnotationTools::showExportDialog);
  exportAction->setShortcut(QKeySequence("Ctrl+E"));
  auto* copy = menu->addAction(tr("&Copy View as Image"), this, &AnnotationTools::copyToClipboard);
  copy->setShortcut(QKeySequence::Copy);
  toolbar->addSeparator();
  toolbar->addAction(bookmark);
  toolbar->addAction(exportAction);
}

QAction* AnnotationTools::toolAction(Tool tool) const {
  for (QAction* a : tools_->actions()) {
    if (a->data().toInt() == static_cast<int>(tool)) return a;
  }
  return nullptr;
}

void AnnotationTools::setTool(Tool tool) {
  presenter_.setTool(tool);
  if (QAction* a = toolAction(tool); a && !a->isChecked()) a->setChecked(true);
  view_->setCursor(tool == Tool::Select ? Qt::ArrowCursor : Qt::CrossCursor);
}

std::string AnnotationTools::sopOf(int slice) const {
  return slice >= 0 && slice < static_cast<int>(series_.slices.size())
             ? series_.slices[static_cast<std::size_t>(slice)].sop_instance_uid
             : std::string();
}

void AnnotationTools::openSeries(const core::dicom::SeriesInfo& series) {
  closeSeries();
  series_ = series;
  ann::StudyAnnotations study;
  study.study_uid = ann::annotationKey(series);
  unreadable_ = false;
  saveErrorShown_ = false;
  try {
    study = store_.load(study.study_uid);
    const int moved = ann::relinkToSeries(study, series);
    if (moved > 0) emit message(tr("%1 annotations follow their images to new slice numbers").arg(moved));
  } catch (const std::exception& e) {
    showError(tr("The saved annotations of this study could not be read: %1\nChanges will not be saved until that "
                 "file is repaired or removed.").arg(e.what()));
    unreadable_ = true;       // never overwrite a file we could not read
    saveErrorShown_ = true;   // said once here; each edit not saved says so in the status bar
  }
  doc_ = std::make_unique<ann::AnnotationDocument>(std::move(study));
  doc_->setOnChanged([this]() { onDocumentChanged(); });
  presenter_.setDocument(doc_.get());
  onSliceChanged(viewer_->slice());
  updateActions();
  layer_->invalidate();
}

void AnnotationTools::closeSeries() {
  if (doc_ && doc_->modified()) save();
  presenter_.setDocument(nullptr);
  doc_.reset();
  series_ = {};
  layer_->invalidate();
  updateActions();
}

void AnnotationTools::onSliceChanged(int slice) {
  presenter_.setSlice({series_.series_uid, slice, sopOf(slice)});  // ends a drag in progress: save what it did
  saveIfModified();
  if (doc_) {
    if (const auto b = doc_->state().bookmarkAt(series_.series_uid, slice)) {
      emit message(tr("Key image: %1").arg(QString::fromStdString(b->note)));
    }
  }
  updateActions();
}

void AnnotationTools::onDocumentChanged() {
  layer_->invalidate();
  updateActions();
  // Saved on every change; a drag is saved when it ends, so its moves stay one undo step.
  if (!presenter_.gestureActive()) saveIfModified();
}

void AnnotationTools::saveIfModified() {
  if (doc_ && doc_->modified()) save();
}

void AnnotationTools::save() {
  if (!doc_) return;
  try {
    // A saved file that could not be read is never overwritten; once it is repaired or removed, saving resumes
    // with the edits kept in memory meanwhile.
    if (unreadable_) {
      const auto file = store_.fileFor(doc_->state().study_uid);
      std::error_code ec;
      if (fs::exists(file, ec) || ec) {
        throw core::InputError(file.string(), "its saved annotations could not be read; edits are kept in this "
                                              "session until it is repaired or removed");
      }
      unreadable_ = false;
    }
    store_.save(doc_->state());
    doc_->markSaved();
    emit saved();
  } catch (const std::exception& e) {
    // Tried again on the next change; the dialog comes once per study, not once per edit.
    if (saveErrorShown_) {
      emit message(tr("Annotations could not be saved: %1").arg(e.what()));
    } else {
      saveErrorShown_ = true;
      showError(tr("Annotations could not be saved: %1").arg(e.what()));
    }
  }
}

void AnnotationTools::updateActions() {
  const bool open = doc_ != nullptr;
  undo_->setEnabled(open && doc_->canUndo());
  redo_->setEnabled(open && doc_->canRedo());
  undo_->setText(open && doc_->canUndo() ? tr("&Undo %1").arg(QString::fromStdString(doc_->undoText())) : tr("&Undo"));
  redo_->setText(open && doc_->canRedo() ? tr("&Redo %1").arg(QString::fromStdString(doc_->redoText())) : tr("&Redo"));
  removeBookmark_->setEnabled(open && doc_->state().bookmarkAt(series_.series_uid, viewer_->slice()).has_value());
}

void AnnotationTools::bookmarkCurrentSlice(const std::string& note) {
  if (!doc_) return;
  const int z = viewer_->slice();
  doc_->setBookmark({series_.series_uid, z, sopOf(z), note});
  emit message(tr("Im %1 bookmarked").arg(core::dicom::imageNumber(series_, z)));
}

void AnnotationTools::removeCurrentBookmark() {
  if (doc_ && doc_->state().bookmarkAt(series_.series_uid, viewer_->slice())) {
    doc_->removeBookmark(series_.series_uid, viewer_->slice());
  }
}

void AnnotationTools::showError(const QString& text) {
  emit message(text);
  if (interactive_) QMessageBox::warning(window_, tr("LungLens"), text);
}

}  // namespace lunglens::ui::annotate
