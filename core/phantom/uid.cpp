#include "core/phantom/uid.h"

#include <algorithm>

#include "core/phantom/random.h"

namespace lunglens::core::phantom {

std::string derivedUid(const std::string& key) {
  using u128 = unsigned __int128;
  const u128 hi = hashText(key, 0x4c756e674c656e73ull), lo = hashText(key, 0x50686e746d555544ull);
  u128 v = (hi << 64) | lo;
  v >>= 1;  // keep it well under the 39-digit limit of a 2.25 UID
  std::string digits;
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  } while (v != 0);
  std::reverse(digits.begin(), digits.end());
  return "2.25." + digits;
}

}  // namespace lunglens::core::phantom
