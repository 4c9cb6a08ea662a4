// AiAssist and its models: finds the installed bundles (ModelCatalog), offers them in the panel's chooser, loads the
// chosen one in the background and says so in the panel, or why there is none. The rest of AiAssist is in
// ai_assist.cpp.
#include "ui/ai/ai_assist.h"

#include <QList>
#include <QPair>

#include "core/inference/bundle.h"
#include "core/inference/model.h"
#include "ui/ai/ai_panel.h"
#include "ui/ai/ai_scores_model.h"
#include "ui/ai/engine_adapter.h"
#include "ui/ai/model_catalog.h"

namespace lunglens::ui::ai {

namespace inf = core::inference;
namespace fs = std::filesystem;

void AiAssist::start(const AiOptions& options) {
  options_ = options;
  if (options_.heatmap) setHeatmapShown(true);
  discoverModels();
}

void AiAssist::discoverModels() {
  // Reads small manifest files only: quick enough for the UI thread.
  const ModelCatalog catalog = findModels(options_.model, options_.manifestation_model, inf::modelSearchPath());
  QList<QPair<QString, QString>> models;
  for (const auto& b : catalog.diagnosis)
    models.append({QString::fromStdString(b.title), QString::fromStdString(b.dir.string())});
  panel_->setModels(models);
  manifestationBundle_ = catalog.manifestation;
  if (!catalog.error.empty()) {
    noModel_ = true;
    panel_->showNoModel(tr("The AI model could not be loaded:\n%1\n\nThe viewer works as usual.")
                            .arg(QString::fromStdString(catalog.error)));
    checkSettled();
    return;
  }
  if (models.isEmpty()) {
    noModel_ = true;
    panel_->showNoModel(tr("No AI model installed.\n\nThe viewer works as usual. Install a model bundle in %1 or "
                           "open with --model DIR.")
                            .arg(QString::fromStdString(inf::modelSearchPath().back().string())));
    checkSettled();
    return;
  }
  loadChosenModel();
}

void AiAssist::loadChosenModel() {
  const fs::path dir = panel_->chosenModelDir().toStdString();
  if (dir.empty()) return;
  loadedBundle_ = dir;
  noModel_ = false;
  panel_->showLoading(tr("Loading the AI model %1…").arg(panel_->chosenModelTitle()));
  adapter_->loadModels(dir, manifestationBundle_);
}

void AiAssist::onModelsReady() {
  noModel_ = false;
  const inf::Model* m = adapter_->manifestationModel();
  QString note;
  if (!m) note = tr("No manifestation model installed: GGO / consolidation / fibrotic streaks are not scored.");
  panel_->showModel(note);
  if (!adapter_->seriesUid().empty()) return;  // the adapter re-opened the series: seriesOpened resets the scores
  scores_->clear();
  checkSettled();
}

bool AiAssist::hasModel() const { return adapter_->hasModels(); }

}  // namespace lunglens::ui::ai
