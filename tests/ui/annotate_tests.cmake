# Annotation tools and image export (ui/annotate), included from tests/ui/CMakeLists.txt.
lunglens_add_test(test_ui_annotate_presenter
  SOURCES annotate_presenter_test.cpp
  LIBS lunglens_ui_annotate lunglens_ui_test_support
  LABELS unit)

lunglens_add_test(test_ui_annotate
  SOURCES annotate_gui_test.cpp
  LIBS lunglens_gui lunglens_ui_test_support Qt6::Test
  LABELS ui
  TIMEOUT 900)

# Not a test: makes docs/screenshots/gui-export.png (see the file's header).
add_executable(annotate_screenshot annotate_screenshot_main.cpp)
target_link_libraries(annotate_screenshot PRIVATE lunglens_gui Qt6::Test lunglens_warnings)
