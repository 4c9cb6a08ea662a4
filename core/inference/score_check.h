#pragma once
// Non-finite scores are an error, never a verdict: a NaN compares false with every threshold, so a study whose
// every probability is NaN would otherwise be called "normal". Every place that receives probabilities from a
// model (the engine's scoring, the study verdict, files of AI results) checks them here.
#include <cstddef>
#include <string>

namespace lunglens::core::inference {

// Throws InputError(context, "... not finite ...") if any of the n values is NaN or infinite.
void requireFiniteScores(const float* values, std::size_t n, const std::string& context);

}  // namespace lunglens::core::inference
