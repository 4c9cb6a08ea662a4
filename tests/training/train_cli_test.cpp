// lunglens-cli train / evaluate end to end on a tiny generated phantom set: the run writes a bundle the inference
// engine loads, a disjoint split.json covering every subject and the best epoch's weights; evaluate writes the
// slice- and subject-level reports, scored through the inference code path and aggregated by the study rule.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "core/inference/model.h"
#include "core/inference/preprocess.h"
#include "core/inference/verdict.h"
#include "core/metrics/predictions_csv.h"
#include "core/training/dataset.h"
#include "core/training/split.h"
#include "tests/common/test_paths.h"

namespace lunglens::core::training {
namespace {

namespace fs = std::filesystem;

int cli(const std::string& arguments, const fs::path& log) {
  const std::string command = std::string(LUNGLENS_CLI) + " " + arguments + " > '" + log.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

nlohmann::json readJson(const fs::path& file) {
  std::ifstream in(file);
  return nlohmann::json::parse(in);
}

bool isPng(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  char magic[8] = {};
  in.read(magic, 8);
  return in && std::string(magic + 1, 3) == "PNG" && fs::file_size(file) > 1000;
}

class TrainCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(test::suiteScratchDir("train-cli"));  // per process: ctest -j runs these tests at once
    test::sharedData();  // the TFLite backbone lives there
    ASSERT_EQ(cli("phantom-set --out '" + (*dir_ / "set").string() + "' --subjects 9 --slices 8 --size 128 --seed 5",
                  *dir_ / "phantom-set.log"),
              0);
    ASSERT_EQ(cli("train --data '" + (*dir_ / "set").string() +
                      "' --task diagnosis --input-size 64 --epochs 4 --warmup-epochs 1 --batch 8 --lr 5e-4 "
                      "--seed 3 --threads 1 --bootstrap 20 --out '" + (*dir_ / "bundle").string() + "'",
                  *dir_ / "train.log"),
              0)
        << "see " << (*dir_ / "train.log");
  }
  static void TearDownTestSuite() { delete dir_; }
  static fs::path* dir_;
};
fs::path* TrainCli::dir_ = nullptr;

TEST_F(TrainCli, WritesABundleTheInferenceEngineLoadsWithItsSplitAndHistory) {
  const fs::path bundle = *dir_ / "bundle";
  const auto model = inference::Model::load(bundle);
  EXPECT_EQ(model->manifest().task, inference::Task::Diagnosis);
  EXPECT_EQ(model->manifest().input.width, 64);
  EXPECT_TRUE(model->manifest().provenance.synthetic);
  EXPECT_NE(model->manifest().provenance.training_data.find("synthetic phantoms"), std::string::npos);
  const auto metrics = nlohmann::json::parse(model->manifest().provenance.metrics_json);
  EXPECT_TRUE(metrics.contains("slice_accuracy"));

  // Every subject in exactly one split (readSplitJson asserts disjointness), none left out.
  const SubjectSplit split = readSplitJson(bundle / "split.json");
  const Dataset data = readPhantomSet(*dir_ / "set" / "labels.csv", inference::Task::Diagnosis);
  EXPECT_EQ(split.train.size() + split.validation.size() + split.test.size(), data.subjectLabels().size());
  EXPECT_FALSE(split.test.empty());

  const auto history = readJson(bundle / "training.json").at("history");
  ASSERT_EQ(history.size(), 4u);
  EXPECT_TRUE(history.front().at("backbone_frozen").get<bool>());
  EXPECT_FALSE(history.back().at("backbone_frozen").get<bool>());
  // The bundle holds the best validation epoch's weights (the loss going down is trainer_test's and
  // phantom_training_test's to show; 4 tiny epochs here only exercise the CLI).
  const auto training = readJson(bundle / "training.json");
  EXPECT_EQ(training.at("class_balance").get<std::string>(), "inverse");  // the default
  EXPECT_EQ(training.at("min_finding_area_mm2").get<double>(), 0.0);
  double lowest = 1e300;
  for (const auto& epoch : history) {
    EXPECT_TRUE(std::isfinite(epoch.at("train_loss").get<double>()));
    lowest = std::min(lowest, epoch.at("validation_loss").get<double>());
  }
  const int best = training.at("best_epoch").get<int>();
  ASSERT_GE(best, 1);
  EXPECT_DOUBLE_EQ(history.at(static_cast<std::size_t>(best - 1)).at("validation_loss").get<double>(), lowest);
}

TEST_F(TrainCli, EvaluateScoresTheTestSplitThroughTheInferenceEngine) {
  const fs::path bundle = *dir_ / "bundle", out = *dir_ / "eval";
  ASSERT_EQ(cli("evaluate --model '" + bundle.string() + "' --data '" + (*dir_ / "set").string() +
                    "' --split test --bootstrap 20 --threads 1 --out '" + out.string() + "'",
                *dir_ / "evaluate.log"),
            0);
  const SubjectSplit split = readSplitJson(bundle / "split.json");
  const Dataset test = readPhantomSet(*dir_ / "set" / "labels.csv", inference::Task::Diagnosis).subset(split.test);

  const auto report = readJson(out / "report.json");
  EXPECT_EQ(report.at("slice_level").at("n").get<std::size_t>(), test.samples.size());
  EXPECT_EQ(report.at("subject_level").at("n").get<std::size_t>(), split.test.size());
  EXPECT_TRUE(fs::exists(out / "report.md"));
  EXPECT_TRUE(isPng(out / "roc_slice.png"));
  EXPECT_TRUE(isPng(out / "roc_subject.png"));

  // Slice probabilities are the engine's: Model::predict on the shared preprocessing of the same slice.
  const auto slices = metrics::readPredictionsCsv(out / "predictions_test.csv");
  ASSERT_EQ(slices.rows.size(), test.samples.size());
  const auto model = inference::Model::load(bundle);
  const HuSlice hu = loadHu(test.samples.front());
  const auto input = inference::preprocessSlice(hu.hu.data(), hu.rows, hu.cols, model->manifest().input);
  const auto probs = model->predict(input.data(), 1);
  EXPECT_EQ(slices.rows.front().subject_id, test.samples.front().subject_id);
  for (std::size_t c = 0; c < probs.size(); ++c) EXPECT_NEAR(slices.rows.front().probabilities[c], probs[c], 1e-4);

  // Subject level: the predicted class is the engine's study verdict over that subject's slices.
  const auto subjects = metrics::readPredictionsCsv(out / "predictions_test_subjects.csv");
  ASSERT_EQ(subjects.rows.size(), split.test.size());
  for (const auto& subject : subjects.rows) {
    std::vector<std::vector<float>> rows;
    for (const auto& s : slices.rows)
      if (s.subject_id == subject.subject_id) rows.emplace_back(s.probabilities.begin(), s.probabilities.end());
    const auto verdict = inference::studyVerdict(rows, model->manifest());
    const auto& p = subject.probabilities;
    const auto argmax = std::max_element(p.begin(), p.end()) - p.begin();
    EXPECT_EQ(subjects.classes[static_cast<std::size_t>(argmax)], verdict.verdict) << subject.subject_id;
    EXPECT_EQ(subjects.classes[static_cast<std::size_t>(subject.label)], test.subject_labels.at(subject.subject_id));
  }
}

// --min-finding-mm2: every subject's trace-finding slices (--split all) are scored apart, listed in their own CSV, and the
// accuracy with them put back is the plain count over both files.
TEST_F(TrainCli, EvaluateSetsTraceFindingsApartAndReportsThemSeparately) {
  const fs::path bundle = *dir_ / "bundle", out = *dir_ / "eval-traces", labels = *dir_ / "set" / "labels.csv";
  const Dataset everything = readPhantomSet(labels, inference::Task::Diagnosis);
  // A threshold above the smallest diseased slice's finding, so at least one is a trace.
  double threshold = 0;
  for (double t : {50.0, 200.0, 800.0, 3200.0})
    if (!readPhantomSet(labels, inference::Task::Diagnosis, t).trace_samples.empty()) {
      threshold = t;
      break;
    }
  ASSERT_GT(threshold, 0) << "no diseased slice to set aside";
  const Dataset test = readPhantomSet(labels, inference::Task::Diagnosis, threshold);
  ASSERT_EQ(cli("evaluate --model '" + bundle.string() + "' --data '" + (*dir_ / "set").string() +
                    "' --split all --bootstrap 20 --threads 1 --min-finding-mm2 " + std::to_string(threshold) +
                    " --out '" + out.string() + "'",
                *dir_ / "evaluate-traces.log"),
            0);
  const auto report = readJson(out / "report.json");
  EXPECT_EQ(report.at("slice_level").at("n").get<std::size_t>(), test.samples.size());
  const auto& traces = report.at("trace_findings");
  EXPECT_EQ(traces.at("slices").get<std::size_t>(), test.trace_samples.size());
  EXPECT_EQ(test.samples.size() + test.trace_samples.size(), everything.samples.size());

  auto correct = [](const metrics::PredictionTable& t) {
    int n = 0;
    for (const auto& r : t.rows)
      n += std::max_element(r.probabilities.begin(), r.probabilities.end()) - r.probabilities.begin() == r.label;
    return n;
  };
  const auto main_rows = metrics::readPredictionsCsv(out / "predictions_all.csv");
  const auto trace_rows = metrics::readPredictionsCsv(out / "predictions_all_traces.csv");
  ASSERT_EQ(trace_rows.rows.size(), test.trace_samples.size());
  for (const auto& r : trace_rows.rows) EXPECT_NE(trace_rows.classes[static_cast<std::size_t>(r.label)], "normal");
  EXPECT_EQ(traces.at("called_as_labelled").get<int>(), correct(trace_rows));
  EXPECT_NEAR(traces.at("slice_accuracy_including_traces").get<double>(),
              static_cast<double>(correct(main_rows) + correct(trace_rows)) / everything.samples.size(), 1e-12);
  std::ifstream md(out / "report.md");
  const std::string text((std::istreambuf_iterator<char>(md)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("Trace findings set aside"), std::string::npos);
}

TEST_F(TrainCli, RefusesBadInputWithTheRightExitCodes) {
  const fs::path set = *dir_ / "set";
  EXPECT_EQ(cli("train --data '" + set.string() + "' --task bogus", *dir_ / "bad1.log"), 2);
  EXPECT_EQ(cli("train --data '" + (*dir_ / "missing").string() + "' --task diagnosis", *dir_ / "bad2.log"), 1);
  // A bundle already there is not replaced without --overwrite.
  EXPECT_EQ(cli("train --data '" + set.string() + "' --task diagnosis --out '" + (*dir_ / "bundle").string() + "'",
                *dir_ / "bad3.log"),
            1);
  // No split.json for a bundle made elsewhere: evaluate says so rather than guessing a split.
  fs::create_directories(*dir_ / "copy");
  for (const char* f : {"model.pt", "manifest.json"}) fs::copy_file(*dir_ / "bundle" / f, *dir_ / "copy" / f);
  EXPECT_EQ(cli("evaluate --model '" + (*dir_ / "copy").string() + "' --data '" + set.string() + "'",
                *dir_ / "bad4.log"),
            1);
  EXPECT_EQ(cli("train --data '" + set.string() + "' --task diagnosis --balance bogus", *dir_ / "bad5.log"), 2);
  EXPECT_EQ(cli("train --data '" + set.string() + "' --task diagnosis --min-finding-mm2 -5", *dir_ / "bad6.log"), 2);
  EXPECT_EQ(cli("evaluate --model '" + (*dir_ / "bundle").string() + "' --data '" + set.string() +
                    "' --min-finding-mm2 nan",
                *dir_ / "bad7.log"),
            2);
}

// Without --min-finding-mm2, evaluate sets trace findings aside as the bundle was trained (training.json), where
// the data can say how large each finding is; an image CSV (no finding areas) is evaluated on every slice.
TEST_F(TrainCli, EvaluateDefaultsToTheTrainedTraceAreaWhereTheDataHasAreas) {
  const fs::path labels = *dir_ / "set" / "labels.csv", trained = *dir_ / "bundle-min";
  fs::create_directories(trained);
  for (const auto& f : fs::directory_iterator(*dir_ / "bundle"))
    if (f.is_regular_file()) fs::copy_file(f.path(), trained / f.path().filename());
  auto training = readJson(trained / "training.json");
  training["min_finding_area_mm2"] = 3200.0;
  std::ofstream(trained / "training.json") << training.dump(2);
  const Dataset expected = readPhantomSet(labels, inference::Task::Diagnosis, 3200.0);
  ASSERT_FALSE(expected.trace_samples.empty());

  ASSERT_EQ(cli("evaluate --model '" + trained.string() + "' --data '" + (*dir_ / "set").string() +
                    "' --split all --bootstrap 20 --threads 1 --out '" + (*dir_ / "eval-default").string() + "'",
                *dir_ / "evaluate-default.log"),
            0);
  const auto report = readJson(*dir_ / "eval-default" / "report.json");
  EXPECT_EQ(report.at("trace_findings").at("slices").get<std::size_t>(), expected.trace_samples.size());
  EXPECT_EQ(report.at("slice_level").at("n").get<std::size_t>(), expected.samples.size());

  // Three slices as lung-window PNGs with a CSV: no finding areas, so every slice is evaluated.
  const fs::path images = *dir_ / "images";
  fs::create_directories(images);
  std::ofstream csv(images / "slices.csv");
  csv << "path,subject_id,label\n";
  const char* labels3[] = {"covid", "other_pneumonia", "normal"};
  for (int i = 0; i < 3; ++i) {
    const std::string subject = "subject_000" + std::to_string(i + 1);
    const fs::path png = images / (subject + ".png");
    ASSERT_EQ(cli("render '" + (*dir_ / "set" / subject / "dicom").string() + "' --slice 4 --window lung --out '" +
                      png.string() + "'",
                  *dir_ / ("render" + std::to_string(i) + ".log")),
              0);
    csv << png.filename().string() << "," << subject << "," << labels3[i] << "\n";
  }
  csv.close();
  ASSERT_EQ(cli("evaluate --model '" + trained.string() + "' --data '" + (images / "slices.csv").string() +
                    "' --split all --bootstrap 20 --threads 1 --out '" + (*dir_ / "eval-images").string() + "'",
                *dir_ / "evaluate-images.log"),
            0)
      << "an image CSV must not fail on the bundle's trained trace area";
  const auto image_report = readJson(*dir_ / "eval-images" / "report.json");
  EXPECT_EQ(image_report.at("slice_level").at("n").get<int>(), 3);
  EXPECT_FALSE(image_report.contains("trace_findings"));
}

}  // namespace
}  // namespace lunglens::core::training
