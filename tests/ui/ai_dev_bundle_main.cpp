// ai_dev_bundle DIR [--score DICOM_DIR]: writes the hand-set development bundles (see ai_dev_bundle.h) into DIR,
// for running `lunglens --model DIR/dev-diagnosis` before the trained demo models exist. With --score, prints the
// diagnosis model's per-slice probabilities on a series (how its gain and offset were chosen).
#include <cstdio>
#include <iostream>
#include <string>

#include "core/dicom/load.h"
#include "core/dicom/scan.h"
#include "core/inference/model.h"
#include "core/inference/preprocess.h"
#include "tests/ui/ai_dev_bundle.h"

using namespace lunglens;

int main(int argc, char** argv) {
  if (argc != 2 && !(argc == 4 && std::string(argv[2]) == "--score")) {
    std::cerr << "usage: ai_dev_bundle DIR [--score DICOM_DIR]\n";
    return 2;
  }
  const auto b = test::writeDevBundles(argv[1]);
  std::cout << b.diagnosis.string() << "\n" << b.manifestation.string() << "\n";
  if (argc == 2) return 0;
  const auto catalog = core::dicom::scan(argv[3]);
  if (catalog.series.empty()) return 1;
  const auto volume = core::dicom::loadSeries(catalog.series.front());
  const auto model = core::inference::Model::load(b.diagnosis);
  const auto& g = volume->geometry();
  for (int z = 0; z < volume->slices(); ++z) {
    const auto input = core::inference::preprocessSlice(volume->slice(z), g.rows, g.cols, model->manifest().input);
    const auto p = model->predict(input.data(), 1);
    std::printf("%3d %.3f %.3f %.3f\n", z, p[0], p[1], p[2]);
  }
  return 0;
}
