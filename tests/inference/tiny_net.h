#pragma once
// The LibTorch side of tiny_models.h: the network itself, for tests that train or inspect it.
#include <torch/script.h>

#include "tests/inference/tiny_models.h"

namespace lunglens::test {

torch::jit::Module makeTinyNet(const TinySpec& spec, int classes);

}  // namespace lunglens::test
