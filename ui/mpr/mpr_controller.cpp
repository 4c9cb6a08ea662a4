#include "ui/mpr/mpr_controller.h"

#include <QAction>
#include <QActionGroup>
#include <QInputDialog>
#include <QMainWindow>
#include <QMenuBar>
#include <QStackedWidget>
#include <QTimer>

#include "core/dicom/image_number.h"
#include "ui/ai/ai_scores_model.h"
#include "ui/mpr/comparison_model.h"
#include "ui/mpr/comparison_widget.h"
#include "ui/mpr/mpr_widget.h"
#include "ui/viewer/series_list_model.h"
#include "ui/viewer/series_loader.h"
#include "ui/viewer/viewer_model.h"

namespace lunglens::ui::mpr {

namespace {

std::vector<core::volume::Vec3> positionsOf(const core::dicom::SeriesInfo& s) {
  std::vector<core::volume::Vec3> out;
  out.reserve(s.slices.size());
  for (const auto& slice : s.slices) out.push_back(slice.position_mm);
  return out;
}

}  // namespace

ComparedSeries comparedSeries(const core::dicom::SeriesInfo& s, core::volume::VolumePtr volume, bool withDate) {
  ComparedSeries c;
  c.volume = std::move(volume);
  c.frame_of_reference_uid = s.frame_of_reference_uid;
  c.positions = positionsOf(s);
  c.image_numbers = core::dicom::imageNumbers(s);
  QString title = QObject::tr("Series %1").arg(s.series_number);
  const QString description = QString::fromStdString(s.series_description).simplified();
  if (!description.isEmpty()) title += " — " + description;
  // Two reconstructions of one acquisition differ by kernel: name it.
  const QString kernel = QString::fromStdString(s.convolution_kernel).simplified();
  if (!kernel.isEmpty() && !description.contains(kernel)) title += " · " + kernel;
  if (withDate && s.study_date.size() == 8) {
    const QString d = QString::fromStdString(s.study_date);
    title += QString(" (%1-%2-%3)").arg(d.left(4), d.mid(4, 2), d.right(2));
  }
  c.title = title;
  return c;
}

MprController::MprController(QMainWindow* window, viewer::ViewerModel* viewer, viewer::SeriesLoader* loader,
                             viewer::SeriesListModel* seriesList, ai::AiScoresModel* scores)
    : QObject(window),
      window_(window),
      viewer_(viewer),
      seriesList_(seriesList),
      scores_(scores),
      model_(new MprModel(this)),
      widget_(new MprWidget(model_)),
      comparison_(new ComparisonModel(this)),
      comparisonWidget_(new ComparisonWidget(comparison_)),
      partnerLoader_(new viewer::SeriesLoader(this)),
      stack_(new QStackedWidget),
      refresh_(new QTimer(this)) {
  // The axial viewer stays page 0, untouched; the reading layouts sit beside it.
  stack_->addWidget(window_->takeCentralWidget());
  stack_->addWidget(widget_);
  stack_->addWidget(comparisonWidget_);
  window_->setCentralWidget(stack_);

  auto* menu = window_->menuBar()->addMenu(tr("&Layout"));
  auto* group = new QActionGroup(this);
  const struct {
    const char* label;
    const char* key;
    Page page;
    std::optional<Layout> layout;
  } entries[] = {{"&Axial viewer", "Ctrl+Shift+1", AxialViewer, std::nullopt},
                 {"MPR &1×3 (axial, coronal, sagittal)", "Ctrl+Shift+3", Mpr, Layout::OneByThree},
                 {"MPR &2×2 (with thick slab)", "Ctrl+Shift+4", Mpr, Layout::TwoByTwo},
                 {"MPR 1×1 (one &reformat)", "Ctrl+Shift+2", Mpr, Layout::One}};
  for (const auto& e : entries) {
    auto* a = menu->addAction(tr(e.label), this, [this, page = e.page, layout = e.layout]() { showPage(page, layout); });
    a->setShortcut(QKeySequence(e.key));
    a->setCheckable(true);
    a->setChecked(e.page == AxialViewer);
    group->addAction(a);
  }
  menu->addSeparator();
  auto* compare = menu->addAction(tr("&Compare with Series…"), this, &MprController::chooseComparison);
  compare->setShortcut(QKeySequence("Ctrl+Shift+C"));

  // The crosshair's axial slice and the axial viewer's slice are one: the AI panel follows either.
  connect(model_, &MprModel::cursorChanged, this, [this]() {
    // Not while a series opens: the model starts at its middle slice, the viewer at the requested one.
    if (!opening_ && model_->hasVolume() && model_->volume() == viewer_->volume()) {
      viewer_->setSlice(model_->cursor()[2]);
    }
  });
  connect(viewer_, &viewer::ViewerModel::sliceChanged, this, [this](int z) {
    if (!model_->hasVolume() || model_->volume() != viewer_->volume()) return;
    auto c = model_->cursor();
    c[2] = z;
    model_->setCursor(c);
  });
  // The window presets (1/2/3) are application shortcuts of the axial viewer: the reformats follow its window.
  connect(viewer_, &viewer::ViewerModel::imageChanged, this, [this]() {
    if (page() != Mpr || !model_->hasVolume()) return;
    const auto& w = viewer_->window();
    const auto& mine = model_->state(0).window;
    if (w.width != mine.width || w.level != mine.level) model_->setWindow(0, w);
  });
  // While the series fills, redraw the reformats a few times a second, not per slice.
  refresh_->setSingleShot(true);
  refresh_->setInterval(150);
  connect(refresh_, &QTimer::timeout, this, [this]() {
    pushScores();
    if (stack_->currentIndex() == Mpr) {
      for (int v = 0; v < kViews; ++v) emit model_->imageChanged(v);
    }
  });
  connect(loader, &viewer::SeriesLoader::sliceReady, refresh_, qOverload<>(&QTimer::start));
  connect(loader, &viewer::SeriesLoader::finished, refresh_, qOverload<>(&QTimer::start));
  if (scores_) {
    connect(scores_, &ai::AiScoresModel::scoresChanged, refresh_, qOverload<>(&QTimer::start));
    connect(scores_, &ai::AiScoresModel::seriesChanged, refresh_, qOverload<>(&QTimer::start));
    connect(scores_, &ai::AiScoresModel::settingsChanged, refresh_, qOverload<>(&QTimer::start));
  }
  connect(partnerLoader_, &viewer::SeriesLoader::finished, this, [this]() {
    for (int side = 0; side < 2; ++side) {
      emit comparison_->side(side).imageChanged(0);
    }
  });
  connect(partnerLoader_, &viewer::SeriesLoader::failed, this,
          [this](const QString& text) { emit message(tr("Could not load the series to compare: %1").arg(text)); });
}

MprController::Page MprController::page() const { return static_cast<Page>(stack_->currentIndex()); }

void MprController::openSeries(const core::dicom::SeriesInfo& series, core::volume::VolumePtr volume) {
  series_ = series;
  volume_ = volume;
  opening_ = true;
  model_->setVolume(volume, positionsOf(series), core::dicom::imageNumbers(series));
  opening_ = false;
  if (model_->hasVolume()) {
    auto c = model_->cursor();
    c[2] = viewer_->slice();
    model_->setCursor(c);
  }
  pushScores();
  if (page() == Comparison) showPage(AxialViewer);
}

void MprController::showPage(Page page, std::optional<Layout> layout) {
  if (layout) model_->setLayout(*layout);
  stack_->setCurrentIndex(page);
  if (page == Mpr) {
    if (!model_->refusal().isEmpty()) emit message(model_->refusal());
    for (int v = 0; v < kViews; ++v) emit model_->imageChanged(v);
  }
}

void MprController::pushScores() {
  // The COVID-19 curve the AI panel draws: empty while nothing is scored and for a series whose scores are
  // withheld (unlike the model's training data), so the reformats show no scores either.
  const bool same = scores_ && model_->volume() && scores_->hasSeries() &&
                    scores_->sliceCount() == model_->volume()->slices();
  const auto points = same ? scores_->curve(scores_->covidIndex()) : std::vector<ai::CurvePoint>{};
  if (points.empty()) {
    if (!model_->sliceScores().empty()) model_->setSliceScores({}, 0.5);
    return;
  }
  std::vector<float> out(static_cast<std::size_t>(scores_->sliceCount()), -1.0f);
  for (const auto& p : points) out[static_cast<std::size_t>(p.slice)] = p.probability;
  model_->setSliceScores(std::move(out), scores_->verdictThreshold());
}

void MprController::chooseComparison() {
  if (!series_) {
    emit message(tr("Open a series first"));
    return;
  }
  QStringList items;
  std::vector<int> rows;
  for (int row = 0; row < seriesList_->rowCount(); ++row) {
    const auto& s = seriesList_->seriesAt(row);
    if (s.series_uid == series_->series_uid) continue;
    items << comparedSeries(s, nullptr, !viewer_->phiHidden()).title + QString(" — %1 images").arg(s.slices.size());
    rows.push_back(row);
  }
  if (items.isEmpty()) {
    emit message(tr("The open folder has no other series to compare with"));
    return;
  }
  bool ok = false;
  const QString chosen = QInputDialog::getItem(window_, tr("Compare with"), tr("Series"), items, 0, false, &ok);
  if (!ok) return;
  compareWith(rows[static_cast<std::size_t>(items.indexOf(chosen))]);
}

void MprController::compareWith(int row) {
  if (!series_ || row < 0 || row >= seriesList_->rowCount()) return;
  const core::dicom::SeriesInfo& other = seriesList_->seriesAt(row);
  try {
    auto partner = partnerLoader_->open(other, static_cast<int>(other.slices.size()) / 2);
    const bool dates = !viewer_->phiHidden();
    comparison_->setSeries(comparedSeries(*series_, volume_, dates), comparedSeries(other, partner, dates));
    showPage(Comparison);
    emit message(comparison_->registered() ? tr("Compared series share the frame of reference: scrolled by position")
                                           : tr("Different frames of reference: set the offset by hand"));
  } catch (const std::exception& e) {
    emit message(tr("Could not open the series to compare: %1").arg(e.what()));
  }
}

}  // namespace lunglens::ui::mpr
