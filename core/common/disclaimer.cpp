#include "core/common/disclaimer.h"

namespace lunglens::core {

std::string disclaimer(bool trainedOnSynthetic) {
  return std::string(kDisclaimer) + "." + (trainedOnSynthetic ? " Model trained on synthetic phantoms." : "");
}

}  // namespace lunglens::core
