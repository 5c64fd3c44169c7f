# Records the code version (git commit, dirty flag) and the build's library versions, so every
# run can write them next to its results. Re-evaluated at every build, not only at configure.
set(BGM_BUILD_INFO_IN ${CMAKE_CURRENT_LIST_DIR}/build_info.cpp.in)
set(BGM_BUILD_INFO_OUT ${CMAKE_BINARY_DIR}/generated/build_info.cpp)
add_custom_target(bgm_build_info
  COMMAND ${CMAKE_COMMAND}
    -DSRC_DIR=${CMAKE_SOURCE_DIR} -DIN=${BGM_BUILD_INFO_IN} -DOUT=${BGM_BUILD_INFO_OUT}
    "-DCXX_COMPILER=${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}"
    -DBUILD_TYPE=${CMAKE_BUILD_TYPE}
    -P ${CMAKE_CURRENT_LIST_DIR}/WriteBuildInfo.cmake
  BYPRODUCTS ${BGM_BUILD_INFO_OUT}
  COMMENT "Recording code version")
# Write it once now so the file exists when targets in other directories are generated.
execute_process(COMMAND ${CMAKE_COMMAND}
  -DSRC_DIR=${CMAKE_SOURCE_DIR} -DIN=${BGM_BUILD_INFO_IN} -DOUT=${BGM_BUILD_INFO_OUT}
  "-DCXX_COMPILER=${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}"
  -DBUILD_TYPE=${CMAKE_BUILD_TYPE}
  -P ${CMAKE_CURRENT_LIST_DIR}/WriteBuildInfo.cmake)
