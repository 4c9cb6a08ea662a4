#include "core/inference/score_check.h"

#include <cmath>

#include "core/common/error.h"

namespace lunglens::core::inference {

void requireFiniteScores(const float* values, std::size_t n, const std::string& context) {
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(values[i]))
      throw InputError(context, "the model's scores are not finite (NaN or infinite): the model or its manifest's "
                                "input normalisation is broken; no verdict is given");
}

}  // namespace lunglens::core::inference
