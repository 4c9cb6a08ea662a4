# The AI assist panel's tests (ui/ai), included from tests/ui/CMakeLists.txt.
find_package(Torch REQUIRED)

# Hand-set dev model bundles (LibTorch, no Python), also as a tool: `ai_dev_bundle DIR`.
add_library(lunglens_ai_dev_bundle STATIC ai_dev_bundle.cpp)
target_link_libraries(lunglens_ai_dev_bundle PUBLIC lunglens_core_inference ${TORCH_LIBRARIES} PRIVATE lunglens_warnings)
target_include_directories(lunglens_ai_dev_bundle PUBLIC ${PROJECT_SOURCE_DIR})
target_include_directories(lunglens_ai_dev_bundle SYSTEM PRIVATE ${TORCH_INCLUDE_DIRS})
add_executable(ai_dev_bundle ai_dev_bundle_main.cpp)
target_link_libraries(ai_dev_bundle PRIVATE lunglens_ai_dev_bundle lunglens_core_dicom lunglens_warnings)

# Presenter models: no display.
lunglens_add_test(test_ui_ai_models
  SOURCES ai_scores_model_test.cpp ai_heatmap_colours_test.cpp ai_model_catalog_test.cpp
  LIBS lunglens_ui_ai lunglens_ai_dev_bundle
  LABELS unit)

# The lung analysis' presenter side (dock section, involvement curve, slices without lung left out of the verdict,
# N / P and J) and the one heatmap clip: no Grad-CAM pixel outside the dilated lung mask (phantom + 4 real series).
lunglens_add_test(test_ui_lung_models
  SOURCES lung_model_test.cpp lung_layer_test.cpp lung_heatmap_clip_test.cpp
  LIBS lunglens_ui_ai lunglens_ai_dev_bundle lunglens_core_phantom lunglens_core_lung
  LABELS unit)

# The lung analysis in the viewer on a real series under Xvfb: the dock section, L / G overlays, clipped heatmap.
lunglens_add_test(test_ui_lung
  SOURCES lung_gui_test.cpp
  LIBS lunglens_gui lunglens_ui_test_support lunglens_ai_dev_bundle Qt6::Test
  LABELS ui
  TIMEOUT 600)

# The panel on the demo phantom study under Xvfb, and the engine adapter.
lunglens_add_test(test_ui_ai
  SOURCES ai_panel_test.cpp
  LIBS lunglens_gui lunglens_ui_test_support lunglens_ai_dev_bundle lunglens_core_phantom lunglens_core_io
       nlohmann_json::nlohmann_json Qt6::Test
  LABELS ui
  TIMEOUT 1200)
add_dependencies(test_ui_ai lunglens)

# The responsiveness benchmark lives in bench/ui but needs the dev bundle target above, so it is added from here.
if(LUNGLENS_BUILD_BENCH)
  include(${PROJECT_SOURCE_DIR}/bench/ui/ai_bench.cmake)
endif()
