# name.cmake: the build rules of the name half of normalize/.
#
# The per-code-point tables of the name normalizer (NFKC, width, look-alike
# dots, Traditional to Simplified, toneless pinyin) are computed once at build
# time by a host program that asks ICU, plus the surname readings of
# data/surnames.tsv.  The library itself never calls an ICU transliterator.
add_executable(xj_gen_name_tables ${CMAKE_CURRENT_SOURCE_DIR}/tools/gen_name_tables.c)
target_include_directories(xj_gen_name_tables PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(xj_gen_name_tables PRIVATE ICU::i18n ICU::uc ICU::data xj_warnings)

# ICU keeps caches for the life of the process; in a sanitizer build the
# generator would otherwise fail on LeakSanitizer's report of them.
add_custom_command(
  OUTPUT ${XJ_GEN_DIR}/name_tables.c ${XJ_GEN_DIR}/name_tables.h
  COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
          $<TARGET_FILE:xj_gen_name_tables>
          ${CMAKE_CURRENT_SOURCE_DIR}/data/surnames.tsv
          ${XJ_GEN_DIR}/name_tables.c ${XJ_GEN_DIR}/name_tables.h
  DEPENDS xj_gen_name_tables ${CMAKE_CURRENT_SOURCE_DIR}/data/surnames.tsv
  COMMENT "Generating the name normalization tables from ICU"
  VERBATIM)
target_sources(xj_normalize PRIVATE ${XJ_GEN_DIR}/name_tables.c ${XJ_GEN_DIR}/name_tables.h)

# The run-time NFKC pass for the rare inputs with combining marks.
target_link_libraries(xj_normalize PRIVATE ICU::uc)
