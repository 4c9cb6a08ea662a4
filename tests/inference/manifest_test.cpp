// Manifest validation: a valid manifest round-trips; every field's bad value is rejected with an error naming the
// bundle and the field.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/common/error.h"
#include "core/inference/manifest.h"
#include "core/common/sha256.h"
#include "tests/inference/tiny_models.h"

using namespace lunglens::core;
using namespace lunglens::core::inference;
using json = nlohmann::json;

namespace {

json validJson() {
  auto m = lunglens::test::tinyManifest({});
  m.input.channels = {{1500, -600, ""}, {350, 40, ""}, {1500, -600, ""}};
  m.input.mean = {0.485, 0.456, 0.406};
  m.input.std = {0.229, 0.224, 0.225};
  return json::parse(manifestToJson(m));
}

std::string errorOf(const json& j) {
  try {
    parseManifest(j.dump(), "models/my-bundle");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Manifest, ValidManifestRoundTrips) {
  const Manifest m = parseManifest(validJson().dump(), "b");
  EXPECT_EQ(m.schema_version, 1);
  EXPECT_EQ(m.task, Task::Diagnosis);
  EXPECT_EQ(m.classes, (std::vector<std::string>{"covid", "other_pneumonia", "normal"}));
  ASSERT_EQ(m.input.channels.size(), 3u);
  EXPECT_DOUBLE_EQ(m.input.channels[1].width, 350);
  EXPECT_DOUBLE_EQ(m.input.channels[1].level, 40);
  EXPECT_DOUBLE_EQ(m.input.std[2], 0.225);
  EXPECT_DOUBLE_EQ(m.threshold("covid", 0.9), 0.5);
  EXPECT_TRUE(m.provenance.synthetic);
  EXPECT_EQ(json::parse(m.provenance.metrics_json)["auc"], 0.5);
  EXPECT_EQ(m.activation, Activation::Softmax);
  const Manifest again = parseManifest(manifestToJson(m), "b");
  EXPECT_EQ(manifestToJson(again), manifestToJson(m));
}

TEST(Manifest, ClassesMayComeInAnyOrderAndUppercaseChecksumIsNormalised) {
  json j = validJson();
  j["classes"] = {"normal", "covid", "other_pneumonia"};
  j["model_sha256"] = std::string(64, 'A');
  j["output_activation"] = "sigmoid";
  const Manifest m = parseManifest(j.dump(), "b");
  EXPECT_EQ(m.classIndex("covid"), 1);
  EXPECT_EQ(m.model_sha256, std::string(64, 'a'));
  EXPECT_EQ(m.activation, Activation::Sigmoid);
}

struct BadField {
  const char* field;  // the field the error must name
  void (*mutate)(json&);
};

class ManifestBadField : public ::testing::TestWithParam<BadField> {};

TEST_P(ManifestBadField, ErrorNamesBundleAndField) {
  json j = validJson();
  GetParam().mutate(j);
  const std::string error = errorOf(j);
  ASSERT_FALSE(error.empty()) << "accepted a manifest with a bad '" << GetParam().field << "'";
  EXPECT_NE(error.find("models/my-bundle"), std::string::npos) << error;
  EXPECT_NE(error.find(std::string("field '") + GetParam().field + "'"), std::string::npos) << error;
}

INSTANTIATE_TEST_SUITE_P(
    EachField, ManifestBadField,
    ::testing::Values(
        BadField{"schema_version", [](json& j) { j.erase("schema_version"); }},
        BadField{"schema_version", [](json& j) { j["schema_version"] = 2; }},
        BadField{"schema_version", [](json& j) { j["schema_version"] = "1"; }},
        BadField{"name", [](json& j) { j.erase("name"); }},
        BadField{"name", [](json& j) { j["name"] = ""; }},
        BadField{"version", [](json& j) { j["version"] = 1; }},
        BadField{"task", [](json& j) { j["task"] = "segmentation"; }},
        BadField{"classes", [](json& j) { j["classes"] = {"covid", "normal"}; }},
        BadField{"classes", [](json& j) { j["classes"] = {"ggo", "consolidation", "fibrotic_streaks"}; }},
        BadField{"architecture", [](json& j) { j.erase("architecture"); }},
        BadField{"input", [](json& j) { j.erase("input"); }},
        BadField{"input.height", [](json& j) { j["input"]["height"] = 0; }},
        BadField{"input.width", [](json& j) { j["input"]["width"] = 22.5; }},
        BadField{"input.channels", [](json& j) { j["input"]["channels"] = json::array(); }},
        BadField{"input.channels[1].window", [](json& j) { j["input"]["channels"][1] = {{"win", 1}}; }},
        BadField{"input.channels[0].window.width", [](json& j) { j["input"]["channels"][0]["window"]["width"] = 0; }},
        BadField{"input.channels[2].window.level",
                 [](json& j) { j["input"]["channels"][2]["window"]["level"] = "lung"; }},
        BadField{"input.mean", [](json& j) { j["input"]["mean"] = {0.5, 0.5}; }},
        BadField{"input.std", [](json& j) { j["input"].erase("std"); }},
        BadField{"input.std[1]", [](json& j) { j["input"]["std"][1] = 0; }},
        BadField{"outputs", [](json& j) { j.erase("outputs"); }},
        BadField{"outputs.logits", [](json& j) { j["outputs"].erase("logits"); }},
        BadField{"outputs.feature_map", [](json& j) { j["outputs"]["feature_map"] = -1; }},
        BadField{"outputs", [](json& j) { j["outputs"]["feature_map"] = 0; }},
        BadField{"thresholds", [](json& j) { j["thresholds"] = 0.5; }},
        BadField{"thresholds.covid", [](json& j) { j["thresholds"]["covid"] = 1.5; }},
        BadField{"thresholds.covid", [](json& j) { j["thresholds"].erase("covid"); }},
        BadField{"thresholds.ggo", [](json& j) { j["thresholds"]["ggo"] = 0.5; }},
        BadField{"output_activation", [](json& j) { j["output_activation"] = "relu"; }},
        BadField{"provenance", [](json& j) { j.erase("provenance"); }},
        BadField{"provenance.training_data", [](json& j) { j["provenance"].erase("training_data"); }},
        BadField{"provenance.synthetic", [](json& j) { j["provenance"]["synthetic"] = "yes"; }},
        BadField{"provenance.date", [](json& j) { j["provenance"]["date"] = "26 Nov 2026"; }},
        BadField{"provenance.metrics", [](json& j) { j["provenance"]["metrics"] = {1, 2}; }},
        BadField{"model_sha256", [](json& j) { j["model_sha256"] = "abc123"; }},
        BadField{"model_sha256", [](json& j) { j.erase("model_sha256"); }},
        BadField{"(top level)", [](json& j) { j = json::array(); }},
        // Absurd values (issue 18): accepted before, they gave a confident verdict or a multi-GB dry run.
        BadField{"input.channels[0].window.width",
                 [](json& j) { j["input"]["channels"][0]["window"]["width"] = 1e308; }},
        BadField{"input.channels[1].window.level",
                 [](json& j) { j["input"]["channels"][1]["window"]["level"] = -1e308; }},
        BadField{"input.mean[0]", [](json& j) { j["input"]["mean"][0] = -1e308; }},
        BadField{"input.mean[2]", [](json& j) { j["input"]["mean"][2] = 5000.0; }},
        BadField{"input.std[0]", [](json& j) { j["input"]["std"][0] = 1e-308; }},
        BadField{"input.std[1]", [](json& j) { j["input"]["std"][1] = 1e9; }},
        BadField{"input.height", [](json& j) { j["input"]["height"] = 4096; }},
        BadField{"input.width", [](json& j) { j["input"]["width"] = 2048; }}));

TEST(Manifest, NotJsonIsAClearError) {
  try {
    parseManifest("{\"schema_version\": 1,", "models/x");
    FAIL() << "accepted broken JSON";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("models/x: manifest.json: not valid JSON"), std::string::npos) << e.what();
  }
}

TEST(Manifest, ManifestationModelMayCarryTheCovidGate) {
  json j = validJson();
  j["task"] = "manifestation";
  j["classes"] = {"ggo", "consolidation", "fibrotic_streaks"};
  j["thresholds"] = {{"covid", 0.7}, {"ggo", 0.4}};
  const Manifest m = parseManifest(j.dump(), "b");
  EXPECT_EQ(m.task, Task::Manifestation);
  EXPECT_DOUBLE_EQ(m.threshold("covid", 0.5), 0.7);
  EXPECT_DOUBLE_EQ(m.threshold("ggo", 0.5), 0.4);
  EXPECT_DOUBLE_EQ(m.threshold("consolidation", 0.5), 0.5);
}

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256Hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
