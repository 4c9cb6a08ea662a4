# Annotation tools and image export (ui/annotate), included from tests/ui/CMakeLists.txt.
lunglens_add_test(test_ui_annotate_presenter
  SOURCES annotate_presenter_test.cpp
  LIBS lunglens_ui_test_support
  LABELS unit)

lunglens_add_test(test_ui_annotate
  SOURCES annotate_gui_test.cpp
  LIBS lunglens_gui lunglens_ui_test_support Qt6::Test
  LABELS ui
  TIMEOUT 900)
