#pragma once
// The AI scores box of an exported image: class probabilities as bars, manifestation probabilities when present,
// the model's name and version, and whether it was trained on synthetic phantoms. A plain struct, so the viewer,
// the CLI and tests fill it from whatever source they have (see scoresBoxFor for AI results).
#include <QPainter>
#include <QRectF>
#include <optional>
#include <string>
#include <vector>

#include "core/export/ai_results.h"
#include "core/lung/lung_analysis.h"

namespace lunglens::ui::paint {

struct ScoreLine {
  std::string name;    // as shown, e.g. "COVID-19"
  double probability;  // [0, 1]
};

struct ScoresBox {
  std::string title = "AI scores (this slice)";
  std::vector<ScoreLine> classes;
  std::vector<ScoreLine> manifestations;  // empty: not shown
  std::string model_name, model_version;
  bool trained_on_synthetic = true;
  std::string verdict;  // optional one-liner about the whole study, e.g. "Study: COVID-19 pattern (12 slices)"
  std::string warning;  // the series is unlike the model's training data (first line under the bars, in amber)
  // The lung analysis (a density measurement, not an AI score), e.g. "CT severity score 7 / 24 · lungs 5250 mL"
  // (core::exporting::lungSummaryLine); empty: not shown. Drawn under the AI lines, in its own colour.
  std::string lung;
};

// The OOD guard's line on a box (the one rule for every box: AI results, the viewer's model, library rows): the
// "withheld" warning, or the "shown anyway" one. Returns whether the box may show score bars.
bool applyOodState(ScoresBox& box, bool out_of_distribution, bool withheld);

// The box for one slice of AI results; nullopt when that slice has no scores. A series whose scores are withheld
// (unlike the training data) gets a box with the warning and no bars. With a lung analysis (null: none) the box has
// its summary line, withheld or not.
std::optional<ScoresBox> scoresBoxFor(const core::exporting::AiResults& results, int slice,
                                      const core::lung::LungAnalysis* lung = nullptr);

// Height the box needs at width `width` and `scale` (fonts and paddings scale).
double scoresBoxHeight(const ScoresBox& box, double width, double scale);
// The text lines under the bars as drawn in a box `width` wide: warning, verdict, lung analysis, model and
// "Trained on synthetic phantoms", each wrapped at spaces to the box, never cut short (only a single word wider
// than the box is elided), so the reading-aid facts stay whole on a small export.
std::vector<QString> scoresBoxFooter(const ScoresBox& box, double width, double scale);
// Draws the box with its top-left at `topLeft`, `width` wide; returns the height used.
double paintScoresBox(QPainter& painter, const ScoresBox& box, QPointF topLeft, double width, double scale);

}  // namespace lunglens::ui::paint
