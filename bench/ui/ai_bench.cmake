# The AI panel's responsiveness benchmark (docs/PERFORMANCE.md, "AI panel responsiveness").
if(TARGET lunglens_gui AND TARGET lunglens_ai_dev_bundle)
  add_executable(bench_ai_scroll ${CMAKE_CURRENT_LIST_DIR}/bench_ai_scroll.cpp)
  target_link_libraries(bench_ai_scroll PRIVATE lunglens_gui lunglens_ai_dev_bundle lunglens_core_phantom lunglens_warnings)
endif()
