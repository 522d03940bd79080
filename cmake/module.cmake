# parley_module(NAME DEPS ...): one folder of src/ becomes one static library,
# parley_<NAME>, whose allowed dependencies are exactly its DEPS (GUIDE.md §2).
# Sources are globbed so that adding a file needs no CMake edit.
function(parley_module name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  if(sources)
    add_library(parley_${name} STATIC ${sources})
    target_include_directories(parley_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(parley_${name} PUBLIC ${ARG_DEPS})
  else()
    add_library(parley_${name} INTERFACE)
    target_include_directories(parley_${name} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(parley_${name} INTERFACE ${ARG_DEPS})
  endif()
endfunction()

# parley_unit_tests(MODULE [DEPS ...]): tests/unit/MODULE/*.cpp become one gtest binary.
function(parley_unit_tests module)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${module}/*.cpp)
  if(NOT sources)
    return()
  endif()
  add_executable(unit_${module} ${sources})
  target_include_directories(unit_${module} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(unit_${module} PRIVATE parley_${module} ${ARG_DEPS}
                        GTest::gtest GTest::gmock GTest::gtest_main)
  gtest_discover_tests(unit_${module} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS unit)
endfunction()
