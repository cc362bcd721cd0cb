;; myonn's fast kernels: the hot loops of core/kernels.ts in WebAssembly SIMD.
;;
;; Every function exists twice, `_f32` (f32x4: 4 lanes) and `_f64` (f64x2: 2 lanes), with
;; the same structure. Dense loops take 64 bytes a step into four independent accumulators
;; (with one, each step would wait for the previous addition), then 16 bytes a step, then
;; the leftover elements one at a time. Pointers are byte addresses in this module's
;; memory; matrices are row-major, `rows` rows of `cols` values.
;;
;; Multiply-adds use relaxed_madd: one fused multiply-add where the processor has one
;; (x86-64 with FMA3, every aarch64), a multiply then an add where it has not. Either way
;; the same machine always gives the same numbers.
;;
;; Rebuild kernels_wasm.ts from this file with `deno task build:wasm`; a test fails when
;; the committed module does not match this source.
(module
  (memory (export "memory") 1)

  ;; ---------------------------------------------------------------- float32

  ;; Σ a[i]·b[i] for i < n
  (func $dot_f32 (param $a i32) (param $b i32) (param $n i32) (result f32)
    (local $end i32) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128) (local $sum f32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $step
        (br_if $done (i32.gt_u (i32.add (local.get $a) (i32.const 64)) (local.get $end)))
        (local.set $acc0 (f32x4.relaxed_madd (v128.load (local.get $a)) (v128.load (local.get $b)) (local.get $acc0)))
        (local.set $acc1 (f32x4.relaxed_madd (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b)) (local.get $acc1)))
        (local.set $acc2 (f32x4.relaxed_madd (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b)) (local.get $acc2)))
        (local.set $acc3 (f32x4.relaxed_madd (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b)) (local.get $acc3)))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (local.set $b (i32.add (local.get $b) (i32.const 64)))
        (br $step)))
    (block $done
      (loop $step
        (br_if $done (i32.gt_u (i32.add (local.get $a) (i32.const 16)) (local.get $end)))
        (local.set $acc0 (f32x4.relaxed_madd (v128.load (local.get $a)) (v128.load (local.get $b)) (local.get $acc0)))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $step)))
    (local.set $sum (call $sum_f32x4 (f32x4.add (f32x4.add (local.get $acc0) (local.get $acc1)) (f32x4.add (local.get $acc2) (local.get $acc3)))))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $sum (f32.add (local.get $sum) (f32.mul (f32.load (local.get $a)) (f32.load (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 4)))
        (local.set $b (i32.add (local.get $b) (i32.const 4)))
        (br $step)))
    (local.get $sum))

  ;; (lane 0 + lane 1) + (lane 2 + lane 3)
  (func $sum_f32x4 (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; y[i] += alpha·x[i] for i < n
  (func $add_scaled_f32 (param $y i32) (param $alpha f32) (param $x i32) (param $n i32)
    (local $end i32) (local $splat v128)
    (local.set $end (i32.add (local.get $y) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $splat (f32x4.splat (local.get $alpha)))
    (block $done
      (loop $step
        (br_if $done (i32.gt_u (i32.add (local.get $y) (i32.const 64)) (local.get $end)))
        (v128.store (local.get $y) (f32x4.relaxed_madd (local.get $splat) (v128.load (local.get $x)) (v128.load (local.get $y))))
        (v128.store offset=16 (local.get $y) (f32x4.relaxed_madd (local.get $splat) (v128.load offset=16 (local.get $x)) (v128.load offset=16 (local.get $y))))
        (v128.store offset=32 (local.get $y) (f32x4.relaxed_madd (local.get $splat) (v128.load offset=32 (local.get $x)) (v128.load offset=32 (local.get $y))))
        (v128.store offset=48 (local.get $y) (f32x4.relaxed_madd (local.get $splat) (v128.load offset=48 (local.get $x)) (v128.load offset=48 (local.get $y))))
        (local.set $y (i32.add (local.get $y) (i32.const 64)))
        (local.set $x (i32.add (local.get $x) (i32.const 64)))
        (br $step)))
    (block $done
      (loop $step
        (br_if $done (i32.gt_u (i32.add (local.get $y) (i32.const 16)) (local.get $end)))
        (v128.store (local.get $y) (f32x4.relaxed_madd (local.get $splat) (v128.load (local.get $x)) (v128.load (local.get $y))))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $step)))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $y) (local.get $end)))
        (f32.store (local.get $y) (f32.add (f32.load (local.get $y)) (f32.mul (local.get $alpha) (f32.load (local.get $x)))))
        (local.set $y (i32.add (local.get $y) (i32.const 4)))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (br $step))))

  ;; out = matrix · vector
  (func (export "multiply_f32") (param $out i32) (param $matrix i32) (param $vector i32) (param $rows i32) (param $cols i32)
    (local $r i32)
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (f32.store (local.get $out) (call $dot_f32 (local.get $matrix) (local.get $vector) (local.get $cols)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $matrix (i32.add (local.get $matrix) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; out = matrixᵀ · vector (out has cols values)
  (func (export "multiply_transposed_f32") (param $out i32) (param $matrix i32) (param $vector i32) (param $rows i32) (param $cols i32)
    (local $r i32)
    (memory.fill (local.get $out) (i32.const 0) (i32.shl (local.get $cols) (i32.const 2)))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (call $add_scaled_f32 (local.get $out) (f32.load (local.get $vector)) (local.get $matrix) (local.get $cols))
        (local.set $vector (i32.add (local.get $vector) (i32.const 4)))
        (local.set $matrix (i32.add (local.get $matrix) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; matrix += column ⊗ row
  ;; A layer's backward step in one pass over its weights: below = matrixᵀ·errors from the
  ;; weights before they change, and matrix += scaled ⊗ inputs (matrix: $rows × $cols). Each
  ;; number by the operations of multiply_transposed_f32 then add_outer_f32, in the same
  ;; order (a fused multiply-add per element in whole vectors, a multiply then an add for the
  ;; last $cols mod 4), so the same bits; four vectors of columns at a time, each summed over
  ;; the rows in a register.
  (func (export "backward_f32")
    (param $matrix i32) (param $rows i32) (param $cols i32) (param $errors i32) (param $scaled i32)
    (param $inputs i32) (param $below i32)
    (local $c i32) (local $vector_end i32) (local $end i32) (local $row_bytes i32) (local $w i32) (local $k i32)
    (local $se v128) (local $sg v128) (local $v v128)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local $e f32) (local $g f32) (local $x f32) (local $acc f32) (local $ws f32)
    (local.set $row_bytes (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $end (local.get $row_bytes))
    ;; whole vectors: the first $cols − $cols mod 4 columns
    (local.set $vector_end (i32.shl (i32.and (local.get $cols) (i32.const 4294967292)) (i32.const 2)))
    (block $fours_done
      (loop $fours
        (br_if $fours_done (i32.gt_u (i32.add (local.get $c) (i32.const 64)) (local.get $vector_end)))
        (local.set $x0 (v128.load (i32.add (local.get $inputs) (local.get $c))))
        (local.set $acc0 (v128.const i64x2 0 0))
        (local.set $x1 (v128.load offset=16 (i32.add (local.get $inputs) (local.get $c))))
        (local.set $acc1 (v128.const i64x2 0 0))
        (local.set $x2 (v128.load offset=32 (i32.add (local.get $inputs) (local.get $c))))
        (local.set $acc2 (v128.const i64x2 0 0))
        (local.set $x3 (v128.load offset=48 (i32.add (local.get $inputs) (local.get $c))))
        (local.set $acc3 (v128.const i64x2 0 0))
        (local.set $w (i32.add (local.get $matrix) (local.get $c)))
        (local.set $k (i32.const 0))
        (block $k_done
          (loop $each_k
            (br_if $k_done (i32.ge_u (local.get $k) (local.get $rows)))
            (local.set $se (f32x4.splat (f32.load (i32.add (local.get $errors) (i32.shl (local.get $k) (i32.const 2))))))
            (local.set $sg (f32x4.splat (f32.load (i32.add (local.get $scaled) (i32.shl (local.get $k) (i32.const 2))))))
            (local.set $v (v128.load (local.get $w)))
            (local.set $acc0 (f32x4.relaxed_madd (local.get $se) (local.get $v) (local.get $acc0)))
            (v128.store (local.get $w) (f32x4.relaxed_madd (local.get $sg) (local.get $x0) (local.get $v)))
            (local.set $v (v128.load offset=16 (local.get $w)))
            (local.set $acc1 (f32x4.relaxed_madd (local.get $se) (local.get $v) (local.get $acc1)))
            (v128.store offset=16 (local.get $w) (f32x4.relaxed_madd (local.get $sg) (local.get $x1) (local.get $v)))
            (local.set $v (v128.load offset=32 (local.get $w)))
            (local.set $acc2 (f32x4.relaxed_madd (local.get $se) (local.get $v) (local.get $acc2)))
            (v128.store offset=32 (local.get $w) (f32x4.relaxed_madd (local.get $sg) (local.get $x2) (local.get $v)))
            (local.set $v (v128.load offset=48 (local.get $w)))
            (local.set $acc3 (f32x4.relaxed_madd (local.get $se) (local.get $v) (local.get $acc3)))
            (v128.store offset=48 (local.get $w) (f32x4.relaxed_madd (local.get $sg) (local.get $x3) (local.get $v)))
            (local.set $w (i32.add (local.get $w) (local.get $row_bytes)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $each_k)))
        (v128.store (i32.add (local.get $below) (local.get $c)) (local.get $acc0))
        (v128.store offset=16 (i32.add (local.get $below) (local.get $c)) (local.get $acc1))
        (v128.store offset=32 (i32.add (local.get $below) (local.get $c)) (local.get $acc2))
        (v128.store offset=48 (i32.add (local.get $below) (local.get $c)) (local.get $acc3))
        (local.set $c (i32.add (local.get $c) (i32.const 64)))
        (br $fours)))
    (block $ones_done
      (loop $ones
        (br_if $ones_done (i32.gt_u (i32.add (local.get $c) (i32.const 16)) (local.get $vector_end)))
        (local.set $x0 (v128.load (i32.add (local.get $inputs) (local.get $c))))
        (local.set $acc0 (v128.const i64x2 0 0))
        (local.set $w (i32.add (local.get $matrix) (local.get $c)))
        (local.set $k (i32.const 0))
        (block $k_done
          (loop $each_k
            (br_if $k_done (i32.ge_u (local.get $k) (local.get $rows)))
            (local.set $se (f32x4.splat (f32.load (i32.add (local.get $errors) (i32.shl (local.get $k) (i32.const 2))))))
            (local.set $sg (f32x4.splat (f32.load (i32.add (local.get $scaled) (i32.shl (local.get $k) (i32.const 2))))))
            (local.set $v (v128.load (local.get $w)))
            (local.set $acc0 (f32x4.relaxed_madd (local.get $se) (local.get $v) (local.get $acc0)))
            (v128.store (local.get $w) (f32x4.relaxed_madd (local.get $sg) (local.get $x0) (local.get $v)))
            (local.set $w (i32.add (local.get $w) (local.get $row_bytes)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $each_k)))
        (v128.store (i32.add (local.get $below) (local.get $c)) (local.get $acc0))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $ones)))
    ;; the last columns one at a time: a multiply, then an add
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $c) (local.get $end)))
        (local.set $x (f32.load (i32.add (local.get $inputs) (local.get $c))))
        (local.set $acc (f32.const 0))
        (local.set $w (i32.add (local.get $matrix) (local.get $c)))
        (local.set $k (i32.const 0))
        (block $k_done
          (loop $each_k
            (br_if $k_done (i32.ge_u (local.get $k) (local.get $rows)))
            (local.set $e (f32.load (i32.add (local.get $errors) (i32.shl (local.get $k) (i32.const 2)))))
            (local.set $g (f32.load (i32.add (local.get $scaled) (i32.shl (local.get $k) (i32.const 2)))))
            (local.set $ws (f32.load (local.get $w)))
            (local.set $acc (f32.add (local.get $acc) (f32.mul (local.get $e) (local.get $ws))))
            (f32.store (local.get $w) (f32.add (local.get $ws) (f32.mul (local.get $g) (local.get $x))))
            (local.set $w (i32.add (local.get $w) (local.get $row_bytes)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $each_k)))
        (f32.store (i32.add (local.get $below) (local.get $c)) (local.get $acc))
        (local.set $c (i32.add (local.get $c) (i32.const 4)))
        (br $tail))))

  (func (export "add_outer_f32") (param $matrix i32) (param $column i32) (param $row i32) (param $rows i32) (param $cols i32)
    (local $r i32)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (call $add_scaled_f32 (local.get $matrix) (f32.load (local.get $column)) (local.get $row) (local.get $cols))
        (local.set $column (i32.add (local.get $column) (i32.const 4)))
        (local.set $matrix (i32.add (local.get $matrix) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $each))))

  ;; Fold rows: for each row r, if offsets[r] ≠ 0, row[c] += offsets[r] for every c (the sum in
  ;; float64, rounded once when stored), then offsets[r] = 0 and sums[r] = Σ row[c], summed in
  ;; float64 in order. One element at a time, no lanes: exactly the plain loops' numbers.
  ;; $offsets and $sums are float64 arrays.
  (func (export "fold_rows_f32") (param $matrix i32) (param $offsets i32) (param $sums i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $p i32) (local $end i32) (local $offset f64) (local $sum f64)
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $end (i32.add (local.get $matrix) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $offset (f64.load (local.get $offsets)))
        (if (f64.ne (local.get $offset) (f64.const 0))
          (then
            (local.set $p (local.get $matrix))
            (block $added
              (loop $add
                (br_if $added (i32.ge_u (local.get $p) (local.get $end)))
                (f32.store (local.get $p) (f32.demote_f64 (f64.add (f64.promote_f32 (f32.load (local.get $p))) (local.get $offset))))
                (local.set $p (i32.add (local.get $p) (i32.const 4)))
                (br $add)))))
        (f64.store (local.get $offsets) (f64.const 0))
        (local.set $sum (f64.const 0))
        (local.set $p (local.get $matrix))
        (block $summed
          (loop $add
            (br_if $summed (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $sum (f64.add (local.get $sum) (f64.promote_f32 (f32.load (local.get $p)))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $add)))
        (f64.store (local.get $sums) (local.get $sum))
        (local.set $matrix (local.get $end))
        (local.set $offsets (i32.add (local.get $offsets) (i32.const 8)))
        (local.set $sums (i32.add (local.get $sums) (i32.const 8)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; The fused step on blocks of 4 values: for each row r, matrix[r][block] += column[r]·row[block]
  ;; and then out[r] = Σ matrix[r][block]·next[block], over the blocks listed at $blocks (byte
  ;; offsets into a row, $count of them). Each row is read once and used again while in cache.
  ;; First the blocks of row and next are copied side by side to $packed (2·count blocks), so
  ;; the loop over the rows reads them in order.
  (func (export "add_outer_multiply_blocks_f32")
    (param $matrix i32) (param $column i32) (param $row i32) (param $next i32) (param $out i32)
    (param $rows i32) (param $cols i32) (param $blocks i32) (param $count i32) (param $packed i32)
    (call $pack_blocks_f32 (local.get $row) (local.get $next) (local.get $blocks) (local.get $count) (local.get $packed))
    (call $add_outer_multiply_packed_f32 (local.get $matrix) (local.get $column) (local.get $out)
      (local.get $rows) (local.get $cols) (local.get $blocks) (local.get $count) (local.get $packed)))

  ;; The packing step of add_outer_multiply_blocks_f32 alone: the blocks of row and next
  ;; listed at $blocks copied side by side to $packed (row's, then next's), so that threads
  ;; sharing the rows can use one packing.
  (func $pack_blocks_f32 (export "pack_blocks_f32")
    (param $row i32) (param $next i32) (param $blocks i32) (param $count i32) (param $packed i32)
    (local $k i32) (local $end i32) (local $p i32) (local $q i32)
    (local.set $end (i32.add (local.get $blocks) (i32.shl (local.get $count) (i32.const 2))))
    ;; row's blocks at $packed, next's after them
    (local.set $k (local.get $blocks))
    (local.set $p (local.get $packed))
    (local.set $q (i32.add (local.get $packed) (i32.mul (local.get $count) (i32.const 16))))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $k) (local.get $end)))
        (v128.store (local.get $p) (v128.load (i32.add (local.get $row) (i32.load (local.get $k)))))
        (v128.store (local.get $q) (v128.load (i32.add (local.get $next) (i32.load (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br $step))))

  ;; Bytes to floats through a table: values[i] = table[bytes[i]] (the table 256 f64, each
  ;; rounded to f32 as stored) for $blocks blocks of 4, returning the sum of the stored values
  ;; added in order. A block of four 0 bytes is read as one word and written as zeros without
  ;; adding (adding +0 to the sum would change nothing). The records' reading of the fast epoch.
  (func (export "read_bytes_f32")
    (param $bytes i32) (param $values i32) (param $table i32) (param $blocks i32) (result f64)
    (local $end i32) (local $word i32) (local $v f32) (local $sum f64)
    (local.set $end (i32.add (local.get $bytes) (i32.shl (local.get $blocks) (i32.const 2))))
    (block $done
      (loop $block
        (br_if $done (i32.ge_u (local.get $bytes) (local.get $end)))
        (local.set $word (i32.load (local.get $bytes)))
        (if (i32.eqz (local.get $word))
          (then (v128.store (local.get $values) (v128.const i64x2 0 0)))
          (else
            ;; the word's 4 bytes in memory order (little-endian): lowest first
            (local.set $v (f32.demote_f64 (f64.load (i32.add (local.get $table)
              (i32.shl (i32.and (local.get $word) (i32.const 255)) (i32.const 3))))))
            (f32.store (local.get $values) (local.get $v))
            (local.set $sum (f64.add (local.get $sum) (f64.promote_f32 (local.get $v))))
            (local.set $v (f32.demote_f64 (f64.load (i32.add (local.get $table)
              (i32.shl (i32.and (i32.shr_u (local.get $word) (i32.const 8)) (i32.const 255)) (i32.const 3))))))
            (f32.store offset=4 (local.get $values) (local.get $v))
            (local.set $sum (f64.add (local.get $sum) (f64.promote_f32 (local.get $v))))
            (local.set $v (f32.demote_f64 (f64.load (i32.add (local.get $table)
              (i32.shl (i32.and (i32.shr_u (local.get $word) (i32.const 16)) (i32.const 255)) (i32.const 3))))))
            (f32.store offset=8 (local.get $values) (local.get $v))
            (local.set $sum (f64.add (local.get $sum) (f64.promote_f32 (local.get $v))))
            (local.set $v (f32.demote_f64 (f64.load (i32.add (local.get $table)
              (i32.shl (i32.shr_u (local.get $word) (i32.const 24)) (i32.const 3))))))
            (f32.store offset=12 (local.get $values) (local.get $v))
            (local.set $sum (f64.add (local.get $sum) (f64.promote_f32 (local.get $v))))))
        (local.set $bytes (i32.add (local.get $bytes) (i32.const 4)))
        (local.set $values (i32.add (local.get $values) (i32.const 16)))
        (br $block)))
    (local.get $sum))

  ;; The block list of two vectors of $blocks blocks of 4: the byte offset of every block
  ;; with a value other than 0 in either, in order, written at $list; returns how many.
  ;; (Compared as numbers: -0 is 0, as in the training loop's reading of rotated ink.)
  (func (export "union_blocks_f32")
    (param $row i32) (param $next i32) (param $blocks i32) (param $list i32) (result i32)
    (local $offset i32) (local $end i32) (local $count i32)
    (local.set $end (i32.shl (local.get $blocks) (i32.const 4)))
    (block $done
      (loop $block
        (br_if $done (i32.ge_u (local.get $offset) (local.get $end)))
        (if (v128.any_true (v128.or
              (f32x4.ne (v128.load (i32.add (local.get $row) (local.get $offset))) (v128.const i64x2 0 0))
              (f32x4.ne (v128.load (i32.add (local.get $next) (local.get $offset))) (v128.const i64x2 0 0))))
          (then
            (i32.store (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 2))) (local.get $offset))
            (local.set $count (i32.add (local.get $count) (i32.const 1)))))
        (local.set $offset (i32.add (local.get $offset) (i32.const 16)))
        (br $block)))
    (local.get $count))

  ;; The rows of add_outer_multiply_blocks_f32, on blocks already packed by pack_blocks_f32,
  ;; one row at a time (add_outer_multiply_packed_f32, below, does two at a time).
  (func $packed_rows_f32
    (param $matrix i32) (param $column i32) (param $out i32)
    (param $rows i32) (param $cols i32) (param $blocks i32) (param $count i32) (param $packed i32)
    (local $r i32) (local $k i32) (local $end i32) (local $p i32) (local $q i32) (local $w i32)
    (local $splat v128) (local $v v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local.set $end (i32.add (local.get $blocks) (i32.shl (local.get $count) (i32.const 2))))
    (block $rows_done
      (loop $each_row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $splat (f32x4.splat (f32.load (local.get $column))))
        (local.set $acc0 (v128.const i64x2 0 0))
        (local.set $acc1 (v128.const i64x2 0 0))
        (local.set $acc2 (v128.const i64x2 0 0))
        (local.set $acc3 (v128.const i64x2 0 0))
        (local.set $k (local.get $blocks))
        (local.set $p (local.get $packed))
        (local.set $q (i32.add (local.get $packed) (i32.mul (local.get $count) (i32.const 16))))
        (block $done
          (loop $step
            (br_if $done (i32.gt_u (i32.add (local.get $k) (i32.const 16)) (local.get $end)))
            (local.set $w (i32.add (local.get $matrix) (i32.load (local.get $k))))
            (local.set $v (f32x4.relaxed_madd (local.get $splat) (v128.load (local.get $p)) (v128.load (local.get $w))))
            (v128.store (local.get $w) (local.get $v))
            (local.set $acc0 (f32x4.relaxed_madd (local.get $v) (v128.load (local.get $q)) (local.get $acc0)))
            (local.set $w (i32.add (local.get $matrix) (i32.load offset=4 (local.get $k))))
            (local.set $v (f32x4.relaxed_madd (local.get $splat) (v128.load offset=16 (local.get $p)) (v128.load (local.get $w))))
            (v128.store (local.get $w) (local.get $v))
            (local.set $acc1 (f32x4.relaxed_madd (local.get $v) (v128.load offset=16 (local.get $q)) (local.get $acc1)))
            (local.set $w (i32.add (local.get $matrix) (i32.load offset=8 (local.get $k))))
            (local.set $v (f32x4.relaxed_madd (local.get $splat) (v128.load offset=32 (local.get $p)) (v128.load (local.get $w))))
            (v128.store (local.get $w) (local.get $v))
            (local.set $acc2 (f32x4.relaxed_madd (local.get $v) (v128.load offset=32 (local.get $q)) (local.get $acc2)))
            (local.set $w (i32.add (local.get $matrix) (i32.load offset=12 (local.get $k))))
            (local.set $v (f32x4.relaxed_madd (local.get $splat) (v128.load offset=48 (local.get $p)) (v128.load (local.get $w))))
            (v128.store (local.get $w) (local.get $v))
            (local.set $acc3 (f32x4.relaxed_madd (local.get $v) (v128.load offset=48 (local.get $q)) (local.get $acc3)))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (local.set $p (i32.add (local.get $p) (i32.const 64)))
            (local.set $q (i32.add (local.get $q) (i32.const 64)))
            (br $step)))
        (block $done
          (loop $step
            (br_if $done (i32.ge_u (local.get $k) (local.get $end)))
            (local.set $w (i32.add (local.get $matrix) (i32.load (local.get $k))))
            (local.set $v (f32x4.relaxed_madd (local.get $splat) (v128.load (local.get $p)) (v128.load (local.get $w))))
            (v128.store (local.get $w) (local.get $v))
            (local.set $acc0 (f32x4.relaxed_madd (local.get $v) (v128.load (local.get $q)) (local.get $acc0)))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 16)))
            (br $step)))
        (f32.store (local.get $out) (call $sum_f32x4 (f32x4.add (f32x4.add (local.get $acc0) (local.get $acc1)) (f32x4.add (local.get $acc2) (local.get $acc3)))))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $column (i32.add (local.get $column) (i32.const 4)))
        (local.set $matrix (i32.add (local.get $matrix) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $each_row))))

  ;; add_outer_multiply_packed_f32 two rows at a time: each row's numbers computed by the
  ;; same operations in the same order as one row at a time (four accumulators by the block's
  ;; place, then the same sum), the two rows' steps interleaved so their memory accesses
  ;; overlap and each packed block is loaded once for both. An odd last row goes one at a time.
  (func $add_outer_multiply_packed_f32 (export "add_outer_multiply_packed_f32")
    (param $matrix i32) (param $column i32) (param $out i32)
    (param $rows i32) (param $cols i32) (param $blocks i32) (param $count i32) (param $packed i32)
    (local $r i32) (local $k i32) (local $end i32) (local $p i32) (local $q i32) (local $o i32)
    (local $row_bytes i32) (local $wa i32) (local $wb i32)
    (local $sa v128) (local $sb v128) (local $x v128) (local $y v128) (local $v v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local.set $end (i32.add (local.get $blocks) (i32.shl (local.get $count) (i32.const 2))))
    (local.set $row_bytes (i32.mul (local.get $cols) (i32.const 4)))
    (block $rows_done
      (loop $each_pair
        (br_if $rows_done (i32.gt_u (i32.add (local.get $r) (i32.const 2)) (local.get $rows)))
        (local.set $sa (f32x4.splat (f32.load (local.get $column))))
        (local.set $sb (f32x4.splat (f32.load offset=4 (local.get $column))))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $a2 (v128.const i64x2 0 0))
        (local.set $a3 (v128.const i64x2 0 0))
        (local.set $b0 (v128.const i64x2 0 0))
        (local.set $b1 (v128.const i64x2 0 0))
        (local.set $b2 (v128.const i64x2 0 0))
        (local.set $b3 (v128.const i64x2 0 0))
        (local.set $k (local.get $blocks))
        (local.set $p (local.get $packed))
        (local.set $q (i32.add (local.get $packed) (i32.mul (local.get $count) (i32.const 16))))
        (block $done
          (loop $step
            (br_if $done (i32.gt_u (i32.add (local.get $k) (i32.const 16)) (local.get $end)))
            (local.set $o (i32.load (local.get $k)))
            (local.set $wa (i32.add (local.get $matrix) (local.get $o)))
            (local.set $wb (i32.add (local.get $wa) (local.get $row_bytes)))
            (local.set $x (v128.load (local.get $p)))
            (local.set $y (v128.load (local.get $q)))
            (local.set $v (f32x4.relaxed_madd (local.get $sa) (local.get $x) (v128.load (local.get $wa))))
            (v128.store (local.get $wa) (local.get $v))
            (local.set $a0 (f32x4.relaxed_madd (local.get $v) (local.get $y) (local.get $a0)))
            (local.set $v (f32x4.relaxed_madd (local.get $sb) (local.get $x) (v128.load (local.get $wb))))
            (v128.store (local.get $wb) (local.get $v))
            (local.set $b0 (f32x4.relaxed_madd (local.get $v) (local.get $y) (local.get $b0)))
            (local.set $o (i32.load offset=4 (local.get $k)))
            (local.set $wa (i32.add (local.get $matrix) (local.get $o)))
            (local.set $wb (i32.add (local.get $wa) (local.get $row_bytes)))
            (local.set $x (v128.load offset=16 (local.get $p)))
            (local.set $y (v128.load offset=16 (local.get $q)))
            (local.set $v (f32x4.relaxed_madd (local.get $sa) (local.get $x) (v128.load (local.get $wa))))
            (v128.store (local.get $wa) (local.get $v))
            (local.set $a1 (f32x4.relaxed_madd (local.get $v) (local.get $y) (local.get $a1)))
            (local.set $v (f32x4.relaxed_madd (local.get $sb) (local.get $x) (v128.load (local.get $wb))))
            (v128.store (local.get $wb) (local.get $v))
            (local.set $b1 (f32x4.relaxed_madd (local.get $v) (local.get $y) (local.get $b1)))
            (local.set $o (i32.load offset=8 (local.get $k)))
            (local.set $wa (i32.add (local.get $matrix) (local.get $o)))
            (local.set $wb (i32.add (local.get $wa) (local.get $row_bytes)))
            (local.set $x (v128.load offset=32 (local.get $p)))
            (local.set $y (v128.load offset=32 (local.get $q)))
            (local.set $v (f32x4.relaxed_madd (local.get $sa) (local.get $x) (v128.load (local.get $wa))))
            (v128.store (local.get $wa) (local.get $v))
            (local.set $a2 (f32x4.relaxed_madd (local.get $v) (local.get $y) (local.get $a2)))
            (local.set $v (f32x4.relaxed_madd (local.get $sb) (local.get $x) (v128.load (local.get $wb))))
            (v128.store (local.get $wb) (local.get $v))
            (local.set $b2 (f32x4.relaxed_madd (local.get $v) (local.get $y) (local.get $b2)))
            (local.set $o (i32.load offset=12 (local.get $k)))
            (local.set $wa (i32.add (local.get $matrix) (local.get $o)))
            (local.set $wb (i32.add (local.get $wa) (local.get $row_bytes)))
            (local.set $x (v128.load offset=48 (local.get $p)))
            (local.set $y (v128.load offset=48 (local.get $q)))
            (local.set $v (f32x4.relaxed_madd (local.get $sa) (local.get $x) (v128.load (local.get $wa))))
            (v128.store (local.get $wa) (local.get $v))
            (local.set $a3 (f32x4.relaxed_madd (local.get $v) (local.get $y) (local.get $a3)))
            (local.set $v (f32x4.relaxed_madd (local.get $sb) (local.get $x) (v128.load (local.get $wb))))
            (v128.store (local.get $wb) (local.get $v))
            (local.set $b3 (f32x4.relaxed_madd (local.get $v) (local.get $y) (local.get $b3)))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (local.set $p (i32.add (local.get $p) (i32.const 64)))
            (local.set $q (i32.add (local.get $q) (i32.const 64)))
            (br $step)))
        (block $done
          (loop $step
            (br_if $done (i32.ge_u (local.get $k) (local.get $end)))
            (local.set $o (i32.load (local.get $k)))
            (local.set $wa (i32.add (local.get $matrix) (local.get $o)))
            (local.set $wb (i32.add (local.get $wa) (local.get $row_bytes)))
            (local.set $x (v128.load (local.get $p)))
            (local.set $y (v128.load (local.get $q)))
            (local.set $v (f32x4.relaxed_madd (local.get $sa) (local.get $x) (v128.load (local.get $wa))))
            (v128.store (local.get $wa) (local.get $v))
            (local.set $a0 (f32x4.relaxed_madd (local.get $v) (local.get $y) (local.get $a0)))
            (local.set $v (f32x4.relaxed_madd (local.get $sb) (local.get $x) (v128.load (local.get $wb))))
            (v128.store (local.get $wb) (local.get $v))
            (local.set $b0 (f32x4.relaxed_madd (local.get $v) (local.get $y) (local.get $b0)))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 16)))
            (br $step)))
        (f32.store (local.get $out) (call $sum_f32x4 (f32x4.add (f32x4.add (local.get $a0) (local.get $a1)) (f32x4.add (local.get $a2) (local.get $a3)))))
        (f32.store offset=4 (local.get $out) (call $sum_f32x4 (f32x4.add (f32x4.add (local.get $b0) (local.get $b1)) (f32x4.add (local.get $b2) (local.get $b3)))))
        (local.set $out (i32.add (local.get $out) (i32.const 8)))
        (local.set $column (i32.add (local.get $column) (i32.const 8)))
        (local.set $matrix (i32.add (local.get $matrix) (i32.shl (local.get $row_bytes) (i32.const 1))))
        (local.set $r (i32.add (local.get $r) (i32.const 2)))
        (br $each_pair)))
    (if (i32.lt_u (local.get $r) (local.get $rows))
      (then (call $packed_rows_f32 (local.get $matrix) (local.get $column) (local.get $out)
        (i32.sub (local.get $rows) (local.get $r)) (local.get $cols) (local.get $blocks) (local.get $count) (local.get $packed)))))


  ;; out = matrix · vector over the blocks of 4 columns listed at $blocks (byte offsets into a
  ;; row, $count of them): exactly multiply where the vector is zero outside them. The
  ;; vector's blocks are first copied together to $packed.
  (func (export "multiply_blocks_f32")
    (param $out i32) (param $matrix i32) (param $vector i32) (param $rows i32) (param $cols i32)
    (param $blocks i32) (param $count i32) (param $packed i32)
    (local $r i32) (local $k i32) (local $end i32) (local $p i32) (local $w i32)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local.set $end (i32.add (local.get $blocks) (i32.shl (local.get $count) (i32.const 2))))
    (local.set $k (local.get $blocks))
    (local.set $p (local.get $packed))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $k) (local.get $end)))
        (v128.store (local.get $p) (v128.load (i32.add (local.get $vector) (i32.load (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $step)))
    (block $rows_done
      (loop $each_row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $acc0 (v128.const i64x2 0 0))
        (local.set $acc1 (v128.const i64x2 0 0))
        (local.set $acc2 (v128.const i64x2 0 0))
        (local.set $acc3 (v128.const i64x2 0 0))
        (local.set $k (local.get $blocks))
        (local.set $p (local.get $packed))
        (block $done
          (loop $step
            (br_if $done (i32.gt_u (i32.add (local.get $k) (i32.const 16)) (local.get $end)))
            (local.set $w (i32.add (local.get $matrix) (i32.load (local.get $k))))
            (local.set $acc0 (f32x4.relaxed_madd (v128.load (local.get $w)) (v128.load (local.get $p)) (local.get $acc0)))
            (local.set $w (i32.add (local.get $matrix) (i32.load offset=4 (local.get $k))))
            (local.set $acc1 (f32x4.relaxed_madd (v128.load (local.get $w)) (v128.load offset=16 (local.get $p)) (local.get $acc1)))
            (local.set $w (i32.add (local.get $matrix) (i32.load offset=8 (local.get $k))))
            (local.set $acc2 (f32x4.relaxed_madd (v128.load (local.get $w)) (v128.load offset=32 (local.get $p)) (local.get $acc2)))
            (local.set $w (i32.add (local.get $matrix) (i32.load offset=12 (local.get $k))))
            (local.set $acc3 (f32x4.relaxed_madd (v128.load (local.get $w)) (v128.load offset=48 (local.get $p)) (local.get $acc3)))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (local.set $p (i32.add (local.get $p) (i32.const 64)))
            (br $step)))
        (block $done
          (loop $step
            (br_if $done (i32.ge_u (local.get $k) (local.get $end)))
            (local.set $w (i32.add (local.get $matrix) (i32.load (local.get $k))))
            (local.set $acc0 (f32x4.relaxed_madd (v128.load (local.get $w)) (v128.load (local.get $p)) (local.get $acc0)))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (br $step)))
        (f32.store (local.get $out) (call $sum_f32x4 (f32x4.add (f32x4.add (local.get $acc0) (local.get $acc1)) (f32x4.add (local.get $acc2) (local.get $acc3)))))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $matrix (i32.add (local.get $matrix) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $each_row))))

  ;; ---------------------------------------------------------------- the activation, float32

  (func (export "sigmoid_f32") (param $values i32) (param $n i32)
    (local $end i32)
    (local $xa v128) (local $ka v128) (local $ra v128) (local $pa v128)
    (local $xb v128) (local $kb v128) (local $rb v128) (local $pb v128)
    (local.set $end (i32.add (local.get $values) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $values) (local.get $end)))
        ;; values 0–1 in lanes of a, 2–3 of b, each lane by the scalar code's operations (k within
        ;; ±1010: an i32 holds it exactly); the two chains interleaved so they overlap
        (local.set $xa (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $values))))
        (local.set $xb (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $values))))
        (local.set $xa (f64x2.min (f64x2.splat (f64.const 700)) (f64x2.max (f64x2.splat (f64.const -700)) (f64x2.neg (local.get $xa)))))
        (local.set $xb (f64x2.min (f64x2.splat (f64.const 700)) (f64x2.max (f64x2.splat (f64.const -700)) (f64x2.neg (local.get $xb)))))
        (local.set $ka (f64x2.nearest (f64x2.mul (local.get $xa) (f64x2.splat (f64.const 1.4426950408889634)))))
        (local.set $kb (f64x2.nearest (f64x2.mul (local.get $xb) (f64x2.splat (f64.const 1.4426950408889634)))))
        (local.set $ra (f64x2.sub (f64x2.sub (local.get $xa) (f64x2.mul (local.get $ka) (f64x2.splat (f64.const 0.6931471803691238)))) (f64x2.mul (local.get $ka) (f64x2.splat (f64.const 1.9082149292705877e-10)))))
        (local.set $rb (f64x2.sub (f64x2.sub (local.get $xb) (f64x2.mul (local.get $kb) (f64x2.splat (f64.const 0.6931471803691238)))) (f64x2.mul (local.get $kb) (f64x2.splat (f64.const 1.9082149292705877e-10)))))
        (local.set $pa (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (local.get $ra) (f64x2.splat (f64.const 0.1111111111111111)))))
        (local.set $pb (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (local.get $rb) (f64x2.splat (f64.const 0.1111111111111111)))))
        (local.set $pa (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (f64x2.mul (local.get $ra) (f64x2.splat (f64.const 0.125))) (local.get $pa))))
        (local.set $pb (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (f64x2.mul (local.get $rb) (f64x2.splat (f64.const 0.125))) (local.get $pb))))
        (local.set $pa (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (f64x2.mul (local.get $ra) (f64x2.splat (f64.const 0.14285714285714285))) (local.get $pa))))
        (local.set $pb (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (f64x2.mul (local.get $rb) (f64x2.splat (f64.const 0.14285714285714285))) (local.get $pb))))
        (local.set $pa (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (f64x2.mul (local.get $ra) (f64x2.splat (f64.const 0.16666666666666666))) (local.get $pa))))
        (local.set $pb (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (f64x2.mul (local.get $rb) (f64x2.splat (f64.const 0.16666666666666666))) (local.get $pb))))
        (local.set $pa (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (f64x2.mul (local.get $ra) (f64x2.splat (f64.const 0.2))) (local.get $pa))))
        (local.set $pb (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (f64x2.mul (local.get $rb) (f64x2.splat (f64.const 0.2))) (local.get $pb))))
        (local.set $pa (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (f64x2.mul (local.get $ra) (f64x2.splat (f64.const 0.25))) (local.get $pa))))
        (local.set $pb (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (f64x2.mul (local.get $rb) (f64x2.splat (f64.const 0.25))) (local.get $pb))))
        (local.set $pa (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (f64x2.mul (local.get $ra) (f64x2.splat (f64.const 0.3333333333333333))) (local.get $pa))))
        (local.set $pb (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (f64x2.mul (local.get $rb) (f64x2.splat (f64.const 0.3333333333333333))) (local.get $pb))))
        (local.set $pa (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (f64x2.mul (local.get $ra) (f64x2.splat (f64.const 0.5))) (local.get $pa))))
        (local.set $pb (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (f64x2.mul (local.get $rb) (f64x2.splat (f64.const 0.5))) (local.get $pb))))
        (local.set $pa (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (local.get $ra) (local.get $pa))))
        (local.set $pb (f64x2.add (f64x2.splat (f64.const 1)) (f64x2.mul (local.get $rb) (local.get $pb))))
        (local.set $pa (f64x2.mul (local.get $pa) (i64x2.shl (i64x2.add (i64x2.extend_low_i32x4_s (i32x4.trunc_sat_f64x2_s_zero (local.get $ka))) (i64x2.splat (i64.const 1023))) (i32.const 52))))
        (local.set $pb (f64x2.mul (local.get $pb) (i64x2.shl (i64x2.add (i64x2.extend_low_i32x4_s (i32x4.trunc_sat_f64x2_s_zero (local.get $kb))) (i64x2.splat (i64.const 1023))) (i32.const 52))))
        (local.set $pa (f64x2.div (f64x2.splat (f64.const 1)) (f64x2.add (f64x2.splat (f64.const 1)) (local.get $pa))))
        (local.set $pb (f64x2.div (f64x2.splat (f64.const 1)) (f64x2.add (f64x2.splat (f64.const 1)) (local.get $pb))))
        (v128.store64_lane 0 (local.get $values) (f32x4.demote_f64x2_zero (local.get $pa)))
        (v128.store64_lane offset=8 0 (local.get $values) (f32x4.demote_f64x2_zero (local.get $pb)))
        (local.set $values (i32.add (local.get $values) (i32.const 16)))
        (br $four)))
    (call $sigmoid_f32_each (local.get $values) (i32.and (local.get $n) (i32.const 3))))

  ;; sigmoid_f32 one value at a time (the last $n mod 4 values).
  (func $sigmoid_f32_each (param $values i32) (param $n i32)
    (local $end i32) (local $x f64) (local $k f64) (local $r f64) (local $p f64)
    (local.set $end (i32.add (local.get $values) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $values) (local.get $end)))
        ;; x = -value, clamped
        (local.set $x (f64.min (f64.const 700) (f64.max (f64.const -700)
          (f64.neg (f64.promote_f32 (f32.load (local.get $values)))))))
        (local.set $k (f64.nearest (f64.mul (local.get $x) (f64.const 1.4426950408889634))))
        ;; r = x - k·ln2, with ln2 in two parts so the subtraction loses nothing
        (local.set $r (f64.sub
          (f64.sub (local.get $x) (f64.mul (local.get $k) (f64.const 0.6931471803691238)))
          (f64.mul (local.get $k) (f64.const 1.9082149292705877e-10))))
        ;; e^r = 1 + r(1 + r/2(1 + r/3(… (1 + r/9))))
        (local.set $p (f64.add (f64.const 1) (f64.mul (local.get $r) (f64.const 0.1111111111111111))))
        (local.set $p (f64.add (f64.const 1) (f64.mul (f64.mul (local.get $r) (f64.const 0.125)) (local.get $p))))
        (local.set $p (f64.add (f64.const 1) (f64.mul (f64.mul (local.get $r) (f64.const 0.14285714285714285)) (local.get $p))))
        (local.set $p (f64.add (f64.const 1) (f64.mul (f64.mul (local.get $r) (f64.const 0.16666666666666666)) (local.get $p))))
        (local.set $p (f64.add (f64.const 1) (f64.mul (f64.mul (local.get $r) (f64.const 0.2)) (local.get $p))))
        (local.set $p (f64.add (f64.const 1) (f64.mul (f64.mul (local.get $r) (f64.const 0.25)) (local.get $p))))
        (local.set $p (f64.add (f64.const 1) (f64.mul (f64.mul (local.get $r) (f64.const 0.3333333333333333)) (local.get $p))))
        (local.set $p (f64.add (f64.const 1) (f64.mul (f64.mul (local.get $r) (f64.const 0.5)) (local.get $p))))
        (local.set $p (f64.add (f64.const 1) (f64.mul (local.get $r) (local.get $p))))
        ;; · 2^k: k + 1023 into the exponent bits of a double
        (local.set $p (f64.mul (local.get $p) (f64.reinterpret_i64
          (i64.shl (i64.add (i64.trunc_sat_f64_s (local.get $k)) (i64.const 1023)) (i64.const 52)))))
        (f32.store (local.get $values) (f32.demote_f64 (f64.div (f64.const 1) (f64.add (f64.const 1) (local.get $p)))))
        (local.set $values (i32.add (local.get $values) (i32.const 4)))
        (br $each))))

  ;; ---------------------------------------------------------------- float64

  ;; Σ a[i]·b[i] for i < n
  (func $dot_f64 (param $a i32) (param $b i32) (param $n i32) (result f64)
    (local $end i32) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128) (local $sum f64)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $step
        (br_if $done (i32.gt_u (i32.add (local.get $a) (i32.const 64)) (local.get $end)))
        (local.set $acc0 (f64x2.relaxed_madd (v128.load (local.get $a)) (v128.load (local.get $b)) (local.get $acc0)))
        (local.set $acc1 (f64x2.relaxed_madd (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b)) (local.get $acc1)))
        (local.set $acc2 (f64x2.relaxed_madd (v128.load offset=32 (local.get $a)) (v128.load offset=32 (local.get $b)) (local.get $acc2)))
        (local.set $acc3 (f64x2.relaxed_madd (v128.load offset=48 (local.get $a)) (v128.load offset=48 (local.get $b)) (local.get $acc3)))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        (local.set $b (i32.add (local.get $b) (i32.const 64)))
        (br $step)))
    (block $done
      (loop $step
        (br_if $done (i32.gt_u (i32.add (local.get $a) (i32.const 16)) (local.get $end)))
        (local.set $acc0 (f64x2.relaxed_madd (v128.load (local.get $a)) (v128.load (local.get $b)) (local.get $acc0)))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $step)))
    (local.set $sum (call $sum_f64x2 (f64x2.add (f64x2.add (local.get $acc0) (local.get $acc1)) (f64x2.add (local.get $acc2) (local.get $acc3)))))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $sum (f64.add (local.get $sum) (f64.mul (f64.load (local.get $a)) (f64.load (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (br $step)))
    (local.get $sum))

  ;; lane 0 + lane 1
  (func $sum_f64x2 (param $v v128) (result f64)
    (f64.add (f64x2.extract_lane 0 (local.get $v)) (f64x2.extract_lane 1 (local.get $v))))

  ;; y[i] += alpha·x[i] for i < n
  (func $add_scaled_f64 (param $y i32) (param $alpha f64) (param $x i32) (param $n i32)
    (local $end i32) (local $splat v128)
    (local.set $end (i32.add (local.get $y) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $splat (f64x2.splat (local.get $alpha)))
    (block $done
      (loop $step
        (br_if $done (i32.gt_u (i32.add (local.get $y) (i32.const 64)) (local.get $end)))
        (v128.store (local.get $y) (f64x2.relaxed_madd (local.get $splat) (v128.load (local.get $x)) (v128.load (local.get $y))))
        (v128.store offset=16 (local.get $y) (f64x2.relaxed_madd (local.get $splat) (v128.load offset=16 (local.get $x)) (v128.load offset=16 (local.get $y))))
        (v128.store offset=32 (local.get $y) (f64x2.relaxed_madd (local.get $splat) (v128.load offset=32 (local.get $x)) (v128.load offset=32 (local.get $y))))
        (v128.store offset=48 (local.get $y) (f64x2.relaxed_madd (local.get $splat) (v128.load offset=48 (local.get $x)) (v128.load offset=48 (local.get $y))))
        (local.set $y (i32.add (local.get $y) (i32.const 64)))
        (local.set $x (i32.add (local.get $x) (i32.const 64)))
        (br $step)))
    (block $done
      (loop $step
        (br_if $done (i32.gt_u (i32.add (local.get $y) (i32.const 16)) (local.get $end)))
        (v128.store (local.get $y) (f64x2.relaxed_madd (local.get $splat) (v128.load (local.get $x)) (v128.load (local.get $y))))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $step)))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $y) (local.get $end)))
        (f64.store (local.get $y) (f64.add (f64.load (local.get $y)) (f64.mul (local.get $alpha) (f64.load (local.get $x)))))
        (local.set $y (i32.add (local.get $y) (i32.const 8)))
        (local.set $x (i32.add (local.get $x) (i32.const 8)))
        (br $step))))

  ;; out = matrix · vector
  (func (export "multiply_f64") (param $out i32) (param $matrix i32) (param $vector i32) (param $rows i32) (param $cols i32)
    (local $r i32)
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (f64.store (local.get $out) (call $dot_f64 (local.get $matrix) (local.get $vector) (local.get $cols)))
        (local.set $out (i32.add (local.get $out) (i32.const 8)))
        (local.set $matrix (i32.add (local.get $matrix) (i32.shl (local.get $cols) (i32.const 3))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; out = matrixᵀ · vector (out has cols values)
  (func (export "multiply_transposed_f64") (param $out i32) (param $matrix i32) (param $vector i32) (param $rows i32) (param $cols i32)
    (local $r i32)
    (memory.fill (local.get $out) (i32.const 0) (i32.shl (local.get $cols) (i32.const 3)))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (call $add_scaled_f64 (local.get $out) (f64.load (local.get $vector)) (local.get $matrix) (local.get $cols))
        (local.set $vector (i32.add (local.get $vector) (i32.const 8)))
        (local.set $matrix (i32.add (local.get $matrix) (i32.shl (local.get $cols) (i32.const 3))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; matrix += column ⊗ row
  ;; A layer's backward step in one pass over its weights: below = matrixᵀ·errors from the
  ;; weights before they change, and matrix += scaled ⊗ inputs (matrix: $rows × $cols). Each
  ;; number by the operations of multiply_transposed_f64 then add_outer_f64, in the same
  ;; order (a fused multiply-add per element in whole vectors, a multiply then an add for the
  ;; last $cols mod 2), so the same bits; four vectors of columns at a time, each summed over
  ;; the rows in a register.
  (func (export "backward_f64")
    (param $matrix i32) (param $rows i32) (param $cols i32) (param $errors i32) (param $scaled i32)
    (param $inputs i32) (param $below i32)
    (local $c i32) (local $vector_end i32) (local $end i32) (local $row_bytes i32) (local $w i32) (local $k i32)
    (local $se v128) (local $sg v128) (local $v v128)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local $e f64) (local $g f64) (local $x f64) (local $acc f64) (local $ws f64)
    (local.set $row_bytes (i32.shl (local.get $cols) (i32.const 3)))
    (local.set $end (local.get $row_bytes))
    ;; whole vectors: the first $cols − $cols mod 2 columns
    (local.set $vector_end (i32.shl (i32.and (local.get $cols) (i32.const 4294967294)) (i32.const 3)))
    (block $fours_done
      (loop $fours
        (br_if $fours_done (i32.gt_u (i32.add (local.get $c) (i32.const 64)) (local.get $vector_end)))
        (local.set $x0 (v128.load (i32.add (local.get $inputs) (local.get $c))))
        (local.set $acc0 (v128.const i64x2 0 0))
        (local.set $x1 (v128.load offset=16 (i32.add (local.get $inputs) (local.get $c))))
        (local.set $acc1 (v128.const i64x2 0 0))
        (local.set $x2 (v128.load offset=32 (i32.add (local.get $inputs) (local.get $c))))
        (local.set $acc2 (v128.const i64x2 0 0))
        (local.set $x3 (v128.load offset=48 (i32.add (local.get $inputs) (local.get $c))))
        (local.set $acc3 (v128.const i64x2 0 0))
        (local.set $w (i32.add (local.get $matrix) (local.get $c)))
        (local.set $k (i32.const 0))
        (block $k_done
          (loop $each_k
            (br_if $k_done (i32.ge_u (local.get $k) (local.get $rows)))
            (local.set $se (f64x2.splat (f64.load (i32.add (local.get $errors) (i32.shl (local.get $k) (i32.const 3))))))
            (local.set $sg (f64x2.splat (f64.load (i32.add (local.get $scaled) (i32.shl (local.get $k) (i32.const 3))))))
            (local.set $v (v128.load (local.get $w)))
            (local.set $acc0 (f64x2.relaxed_madd (local.get $se) (local.get $v) (local.get $acc0)))
            (v128.store (local.get $w) (f64x2.relaxed_madd (local.get $sg) (local.get $x0) (local.get $v)))
            (local.set $v (v128.load offset=16 (local.get $w)))
            (local.set $acc1 (f64x2.relaxed_madd (local.get $se) (local.get $v) (local.get $acc1)))
            (v128.store offset=16 (local.get $w) (f64x2.relaxed_madd (local.get $sg) (local.get $x1) (local.get $v)))
            (local.set $v (v128.load offset=32 (local.get $w)))
            (local.set $acc2 (f64x2.relaxed_madd (local.get $se) (local.get $v) (local.get $acc2)))
            (v128.store offset=32 (local.get $w) (f64x2.relaxed_madd (local.get $sg) (local.get $x2) (local.get $v)))
            (local.set $v (v128.load offset=48 (local.get $w)))
            (local.set $acc3 (f64x2.relaxed_madd (local.get $se) (local.get $v) (local.get $acc3)))
            (v128.store offset=48 (local.get $w) (f64x2.relaxed_madd (local.get $sg) (local.get $x3) (local.get $v)))
            (local.set $w (i32.add (local.get $w) (local.get $row_bytes)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $each_k)))
        (v128.store (i32.add (local.get $below) (local.get $c)) (local.get $acc0))
        (v128.store offset=16 (i32.add (local.get $below) (local.get $c)) (local.get $acc1))
        (v128.store offset=32 (i32.add (local.get $below) (local.get $c)) (local.get $acc2))
        (v128.store offset=48 (i32.add (local.get $below) (local.get $c)) (local.get $acc3))
        (local.set $c (i32.add (local.get $c) (i32.const 64)))
        (br $fours)))
    (block $ones_done
      (loop $ones
        (br_if $ones_done (i32.gt_u (i32.add (local.get $c) (i32.const 16)) (local.get $vector_end)))
        (local.set $x0 (v128.load (i32.add (local.get $inputs) (local.get $c))))
        (local.set $acc0 (v128.const i64x2 0 0))
        (local.set $w (i32.add (local.get $matrix) (local.get $c)))
        (local.set $k (i32.const 0))
        (block $k_done
          (loop $each_k
            (br_if $k_done (i32.ge_u (local.get $k) (local.get $rows)))
            (local.set $se (f64x2.splat (f64.load (i32.add (local.get $errors) (i32.shl (local.get $k) (i32.const 3))))))
            (local.set $sg (f64x2.splat (f64.load (i32.add (local.get $scaled) (i32.shl (local.get $k) (i32.const 3))))))
            (local.set $v (v128.load (local.get $w)))
            (local.set $acc0 (f64x2.relaxed_madd (local.get $se) (local.get $v) (local.get $acc0)))
            (v128.store (local.get $w) (f64x2.relaxed_madd (local.get $sg) (local.get $x0) (local.get $v)))
            (local.set $w (i32.add (local.get $w) (local.get $row_bytes)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $each_k)))
        (v128.store (i32.add (local.get $below) (local.get $c)) (local.get $acc0))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $ones)))
    ;; the last columns one at a time: a multiply, then an add
    (block $tail_done
      (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $c) (local.get $end)))
        (local.set $x (f64.load (i32.add (local.get $inputs) (local.get $c))))
        (local.set $acc (f64.const 0))
        (local.set $w (i32.add (local.get $matrix) (local.get $c)))
        (local.set $k (i32.const 0))
        (block $k_done
          (loop $each_k
            (br_if $k_done (i32.ge_u (local.get $k) (local.get $rows)))
            (local.set $e (f64.load (i32.add (local.get $errors) (i32.shl (local.get $k) (i32.const 3)))))
            (local.set $g (f64.load (i32.add (local.get $scaled) (i32.shl (local.get $k) (i32.const 3)))))
            (local.set $ws (f64.load (local.get $w)))
            (local.set $acc (f64.add (local.get $acc) (f64.mul (local.get $e) (local.get $ws))))
            (f64.store (local.get $w) (f64.add (local.get $ws) (f64.mul (local.get $g) (local.get $x))))
            (local.set $w (i32.add (local.get $w) (local.get $row_bytes)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $each_k)))
        (f64.store (i32.add (local.get $below) (local.get $c)) (local.get $acc))
        (local.set $c (i32.add (local.get $c) (i32.const 8)))
        (br $tail))))

  (func (export "add_outer_f64") (param $matrix i32) (param $column i32) (param $row i32) (param $rows i32) (param $cols i32)
    (local $r i32)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (call $add_scaled_f64 (local.get $matrix) (f64.load (local.get $column)) (local.get $row) (local.get $cols))
        (local.set $column (i32.add (local.get $column) (i32.const 8)))
        (local.set $matrix (i32.add (local.get $matrix) (i32.shl (local.get $cols) (i32.const 3))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $each))))

  ;; Fold rows: for each row r, if offsets[r] ≠ 0, row[c] += offsets[r] for every c (the sum in
  ;; float64, rounded once when stored), then offsets[r] = 0 and sums[r] = Σ row[c], summed in
  ;; float64 in order. One element at a time, no lanes: exactly the plain loops' numbers.
  ;; $offsets and $sums are float64 arrays.
  (func (export "fold_rows_f64") (param $matrix i32) (param $offsets i32) (param $sums i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $p i32) (local $end i32) (local $offset f64) (local $sum f64)
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $end (i32.add (local.get $matrix) (i32.shl (local.get $cols) (i32.const 3))))
        (local.set $offset (f64.load (local.get $offsets)))
        (if (f64.ne (local.get $offset) (f64.const 0))
          (then
            (local.set $p (local.get $matrix))
            (block $added
              (loop $add
                (br_if $added (i32.ge_u (local.get $p) (local.get $end)))
                (f64.store (local.get $p) (f64.add (f64.load (local.get $p)) (local.get $offset)))
                (local.set $p (i32.add (local.get $p) (i32.const 8)))
                (br $add)))))
        (f64.store (local.get $offsets) (f64.const 0))
        (local.set $sum (f64.const 0))
        (local.set $p (local.get $matrix))
        (block $summed
          (loop $add
            (br_if $summed (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $sum (f64.add (local.get $sum) (f64.load (local.get $p))))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (br $add)))
        (f64.store (local.get $sums) (local.get $sum))
        (local.set $matrix (local.get $end))
        (local.set $offsets (i32.add (local.get $offsets) (i32.const 8)))
        (local.set $sums (i32.add (local.get $sums) (i32.const 8)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $row))))

  ;; The fused step on blocks of 4 values: for each row r, matrix[r][block] += column[r]·row[block]
  ;; and then out[r] = Σ matrix[r][block]·next[block], over the blocks listed at $blocks (byte
  ;; offsets into a row, $count of them). Each row is read once and used again while in cache.
  ;; First the blocks of row and next are copied side by side to $packed (2·count blocks), so
  ;; the loop over the rows reads them in order.
  (func (export "add_outer_multiply_blocks_f64")
    (param $matrix i32) (param $column i32) (param $row i32) (param $next i32) (param $out i32)
    (param $rows i32) (param $cols i32) (param $blocks i32) (param $count i32) (param $packed i32)
    (call $pack_blocks_f64 (local.get $row) (local.get $next) (local.get $blocks) (local.get $count) (local.get $packed))
    (call $add_outer_multiply_packed_f64 (local.get $matrix) (local.get $column) (local.get $out)
      (local.get $rows) (local.get $cols) (local.get $blocks) (local.get $count) (local.get $packed)))

  ;; The packing step of add_outer_multiply_blocks_f64 alone: the blocks of row and next
  ;; listed at $blocks copied side by side to $packed (row's, then next's), so that threads
  ;; sharing the rows can use one packing.
  (func $pack_blocks_f64 (export "pack_blocks_f64")
    (param $row i32) (param $next i32) (param $blocks i32) (param $count i32) (param $packed i32)
    (local $k i32) (local $end i32) (local $p i32) (local $q i32)
    (local.set $end (i32.add (local.get $blocks) (i32.shl (local.get $count) (i32.const 2))))
    ;; row's blocks at $packed, next's after them
    (local.set $k (local.get $blocks))
    (local.set $p (local.get $packed))
    (local.set $q (i32.add (local.get $packed) (i32.mul (local.get $count) (i32.const 32))))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $k) (local.get $end)))
        (v128.store (local.get $p) (v128.load (i32.add (local.get $row) (i32.load (local.get $k)))))
        (v128.store (local.get $q) (v128.load (i32.add (local.get $next) (i32.load (local.get $k)))))
        (v128.store offset=16 (local.get $p) (v128.load offset=16 (i32.add (local.get $row) (i32.load (local.get $k)))))
        (v128.store offset=16 (local.get $q) (v128.load offset=16 (i32.add (local.get $next) (i32.load (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (local.set $q (i32.add (local.get $q) (i32.const 32)))
        (br $step))))

  ;; read_bytes_f32 in f64: values[i] = table[bytes[i]], the sum of them added in order.
  (func (export "read_bytes_f64")
    (param $bytes i32) (param $values i32) (param $table i32) (param $blocks i32) (result f64)
    (local $end i32) (local $word i32) (local $v f64) (local $sum f64)
    (local.set $end (i32.add (local.get $bytes) (i32.shl (local.get $blocks) (i32.const 2))))
    (block $done
      (loop $block
        (br_if $done (i32.ge_u (local.get $bytes) (local.get $end)))
        (local.set $word (i32.load (local.get $bytes)))
        (if (i32.eqz (local.get $word))
          (then
            (v128.store (local.get $values) (v128.const i64x2 0 0))
            (v128.store offset=16 (local.get $values) (v128.const i64x2 0 0)))
          (else
            (local.set $v (f64.load (i32.add (local.get $table)
              (i32.shl (i32.and (local.get $word) (i32.const 255)) (i32.const 3)))))
            (f64.store (local.get $values) (local.get $v))
            (local.set $sum (f64.add (local.get $sum) (local.get $v)))
            (local.set $v (f64.load (i32.add (local.get $table)
              (i32.shl (i32.and (i32.shr_u (local.get $word) (i32.const 8)) (i32.const 255)) (i32.const 3)))))
            (f64.store offset=8 (local.get $values) (local.get $v))
            (local.set $sum (f64.add (local.get $sum) (local.get $v)))
            (local.set $v (f64.load (i32.add (local.get $table)
              (i32.shl (i32.and (i32.shr_u (local.get $word) (i32.const 16)) (i32.const 255)) (i32.const 3)))))
            (f64.store offset=16 (local.get $values) (local.get $v))
            (local.set $sum (f64.add (local.get $sum) (local.get $v)))
            (local.set $v (f64.load (i32.add (local.get $table)
              (i32.shl (i32.shr_u (local.get $word) (i32.const 24)) (i32.const 3)))))
            (f64.store offset=24 (local.get $values) (local.get $v))
            (local.set $sum (f64.add (local.get $sum) (local.get $v)))))
        (local.set $bytes (i32.add (local.get $bytes) (i32.const 4)))
        (local.set $values (i32.add (local.get $values) (i32.const 32)))
        (br $block)))
    (local.get $sum))

  ;; union_blocks_f32 in f64 (a block is 32 bytes).
  (func (export "union_blocks_f64")
    (param $row i32) (param $next i32) (param $blocks i32) (param $list i32) (result i32)
    (local $offset i32) (local $end i32) (local $count i32) (local $a i32) (local $b i32)
    (local.set $end (i32.shl (local.get $blocks) (i32.const 5)))
    (block $done
      (loop $block
        (br_if $done (i32.ge_u (local.get $offset) (local.get $end)))
        (local.set $a (i32.add (local.get $row) (local.get $offset)))
        (local.set $b (i32.add (local.get $next) (local.get $offset)))
        (if (v128.any_true (v128.or
              (v128.or
                (f64x2.ne (v128.load (local.get $a)) (v128.const i64x2 0 0))
                (f64x2.ne (v128.load offset=16 (local.get $a)) (v128.const i64x2 0 0)))
              (v128.or
                (f64x2.ne (v128.load (local.get $b)) (v128.const i64x2 0 0))
                (f64x2.ne (v128.load offset=16 (local.get $b)) (v128.const i64x2 0 0)))))
          (then
            (i32.store (i32.add (local.get $list) (i32.shl (local.get $count) (i32.const 2))) (local.get $offset))
            (local.set $count (i32.add (local.get $count) (i32.const 1)))))
        (local.set $offset (i32.add (local.get $offset) (i32.const 32)))
        (br $block)))
    (local.get $count))

  ;; The rows of add_outer_multiply_blocks_f64, on blocks already packed by pack_blocks_f64,
  ;; one row at a time (add_outer_multiply_packed_f64, below, does two at a time).
  (func $packed_rows_f64
    (param $matrix i32) (param $column i32) (param $out i32)
    (param $rows i32) (param $cols i32) (param $blocks i32) (param $count i32) (param $packed i32)
    (local $r i32) (local $k i32) (local $end i32) (local $p i32) (local $q i32) (local $w i32)
    (local $splat v128) (local $v v128) (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local.set $end (i32.add (local.get $blocks) (i32.shl (local.get $count) (i32.const 2))))
    (block $rows_done
      (loop $each_row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $splat (f64x2.splat (f64.load (local.get $column))))
        (local.set $acc0 (v128.const i64x2 0 0))
        (local.set $acc1 (v128.const i64x2 0 0))
        (local.set $acc2 (v128.const i64x2 0 0))
        (local.set $acc3 (v128.const i64x2 0 0))
        (local.set $k (local.get $blocks))
        (local.set $p (local.get $packed))
        (local.set $q (i32.add (local.get $packed) (i32.mul (local.get $count) (i32.const 32))))
        (block $done
          (loop $step
            (br_if $done (i32.gt_u (i32.add (local.get $k) (i32.const 16)) (local.get $end)))
            (local.set $w (i32.add (local.get $matrix) (i32.load (local.get $k))))
            (local.set $v (f64x2.relaxed_madd (local.get $splat) (v128.load (local.get $p)) (v128.load (local.get $w))))
            (v128.store (local.get $w) (local.get $v))
            (local.set $acc0 (f64x2.relaxed_madd (local.get $v) (v128.load (local.get $q)) (local.get $acc0)))
            (local.set $v (f64x2.relaxed_madd (local.get $splat) (v128.load offset=16 (local.get $p)) (v128.load offset=16 (local.get $w))))
            (v128.store offset=16 (local.get $w) (local.get $v))
            (local.set $acc0 (f64x2.relaxed_madd (local.get $v) (v128.load offset=16 (local.get $q)) (local.get $acc0)))
            (local.set $w (i32.add (local.get $matrix) (i32.load offset=4 (local.get $k))))
            (local.set $v (f64x2.relaxed_madd (local.get $splat) (v128.load offset=32 (local.get $p)) (v128.load (local.get $w))))
            (v128.store (local.get $w) (local.get $v))
            (local.set $acc1 (f64x2.relaxed_madd (local.get $v) (v128.load offset=32 (local.get $q)) (local.get $acc1)))
            (local.set $v (f64x2.relaxed_madd (local.get $splat) (v128.load offset=48 (local.get $p)) (v128.load offset=16 (local.get $w))))
            (v128.store offset=16 (local.get $w) (local.get $v))
            (local.set $acc1 (f64x2.relaxed_madd (local.get $v) (v128.load offset=48 (local.get $q)) (local.get $acc1)))
            (local.set $w (i32.add (local.get $matrix) (i32.load offset=8 (local.get $k))))
            (local.set $v (f64x2.relaxed_madd (local.get $splat) (v128.load offset=64 (local.get $p)) (v128.load (local.get $w))))
            (v128.store (local.get $w) (local.get $v))
            (local.set $acc2 (f64x2.relaxed_madd (local.get $v) (v128.load offset=64 (local.get $q)) (local.get $acc2)))
            (local.set $v (f64x2.relaxed_madd (local.get $splat) (v128.load offset=80 (local.get $p)) (v128.load offset=16 (local.get $w))))
            (v128.store offset=16 (local.get $w) (local.get $v))
            (local.set $acc2 (f64x2.relaxed_madd (local.get $v) (v128.load offset=80 (local.get $q)) (local.get $acc2)))
            (local.set $w (i32.add (local.get $matrix) (i32.load offset=12 (local.get $k))))
            (local.set $v (f64x2.relaxed_madd (local.get $splat) (v128.load offset=96 (local.get $p)) (v128.load (local.get $w))))
            (v128.store (local.get $w) (local.get $v))
            (local.set $acc3 (f64x2.relaxed_madd (local.get $v) (v128.load offset=96 (local.get $q)) (local.get $acc3)))
            (local.set $v (f64x2.relaxed_madd (local.get $splat) (v128.load offset=112 (local.get $p)) (v128.load offset=16 (local.get $w))))
            (v128.store offset=16 (local.get $w) (local.get $v))
            (local.set $acc3 (f64x2.relaxed_madd (local.get $v) (v128.load offset=112 (local.get $q)) (local.get $acc3)))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (local.set $p (i32.add (local.get $p) (i32.const 128)))
            (local.set $q (i32.add (local.get $q) (i32.const 128)))
            (br $step)))
        (block $done
          (loop $step
            (br_if $done (i32.ge_u (local.get $k) (local.get $end)))
            (local.set $w (i32.add (local.get $matrix) (i32.load (local.get $k))))
            (local.set $v (f64x2.relaxed_madd (local.get $splat) (v128.load (local.get $p)) (v128.load (local.get $w))))
            (v128.store (local.get $w) (local.get $v))
            (local.set $acc0 (f64x2.relaxed_madd (local.get $v) (v128.load (local.get $q)) (local.get $acc0)))
            (local.set $v (f64x2.relaxed_madd (local.get $splat) (v128.load offset=16 (local.get $p)) (v128.load offset=16 (local.get $w))))
            (v128.store offset=16 (local.get $w) (local.get $v))
            (local.set $acc0 (f64x2.relaxed_madd (local.get $v) (v128.load offset=16 (local.get $q)) (local.get $acc0)))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (local.set $p (i32.add (local.get $p) (i32.const 32)))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (br $step)))
        (f64.store (local.get $out) (call $sum_f64x2 (f64x2.add (f64x2.add (local.get $acc0) (local.get $acc1)) (f64x2.add (local.get $acc2) (local.get $acc3)))))
        (local.set $out (i32.add (local.get $out) (i32.const 8)))
        (local.set $column (i32.add (local.get $column) (i32.const 8)))
        (local.set $matrix (i32.add (local.get $matrix) (i32.shl (local.get $cols) (i32.const 3))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $each_row))))

  ;; add_outer_multiply_packed_f64 two rows at a time: each row's numbers computed by the
  ;; same operations in the same order as one row at a time (four accumulators by the block's
  ;; place, then the same sum), the two rows' steps interleaved so their memory accesses
  ;; overlap and each packed block is loaded once for both. An odd last row goes one at a time.
  (func $add_outer_multiply_packed_f64 (export "add_outer_multiply_packed_f64")
    (param $matrix i32) (param $column i32) (param $out i32)
    (param $rows i32) (param $cols i32) (param $blocks i32) (param $count i32) (param $packed i32)
    (local $r i32) (local $k i32) (local $end i32) (local $p i32) (local $q i32) (local $o i32)
    (local $row_bytes i32) (local $wa i32) (local $wb i32)
    (local $sa v128) (local $sb v128) (local $x v128) (local $y v128) (local $v v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local.set $end (i32.add (local.get $blocks) (i32.shl (local.get $count) (i32.const 2))))
    (local.set $row_bytes (i32.mul (local.get $cols) (i32.const 8)))
    (block $rows_done
      (loop $each_pair
        (br_if $rows_done (i32.gt_u (i32.add (local.get $r) (i32.const 2)) (local.get $rows)))
        (local.set $sa (f64x2.splat (f64.load (local.get $column))))
        (local.set $sb (f64x2.splat (f64.load offset=8 (local.get $column))))
        (local.set $a0 (v128.const i64x2 0 0))
        (local.set $a1 (v128.const i64x2 0 0))
        (local.set $a2 (v128.const i64x2 0 0))
        (local.set $a3 (v128.const i64x2 0 0))
        (local.set $b0 (v128.const i64x2 0 0))
        (local.set $b1 (v128.const i64x2 0 0))
        (local.set $b2 (v128.const i64x2 0 0))
        (local.set $b3 (v128.const i64x2 0 0))
        (local.set $k (local.get $blocks))
        (local.set $p (local.get $packed))
        (local.set $q (i32.add (local.get $packed) (i32.mul (local.get $count) (i32.const 32))))
        (block $done
          (loop $step
            (br_if $done (i32.gt_u (i32.add (local.get $k) (i32.const 16)) (local.get $end)))
            (local.set $o (i32.load (local.get $k)))
            (local.set $wa (i32.add (local.get $matrix) (local.get $o)))
            (local.set $wb (i32.add (local.get $wa) (local.get $row_bytes)))
            (local.set $x (v128.load (local.get $p)))
            (local.set $y (v128.load (local.get $q)))
            (local.set $v (f64x2.relaxed_madd (local.get $sa) (local.get $x) (v128.load (local.get $wa))))
            (v128.store (local.get $wa) (local.get $v))
            (local.set $a0 (f64x2.relaxed_madd (local.get $v) (local.get $y) (local.get $a0)))
            (local.set $v (f64x2.relaxed_madd (local.get $sb) (local.get $x) (v128.load (local.get $wb))))
            (v128.store (local.get $wb) (local.get $v))
            (local.set $b0 (f64x2.relaxed_madd (local.get $v) (local.get $y) (local.get $b0)))
            (local.set $x (v128.load offset=16 (local.get $p)))
            (local.set $y (v128.load offset=16 (local.get $q)))
            (local.set $v (f64x2.relaxed_madd (local.get $sa) (local.get $x) (v128.load offset=16 (local.get $wa))))
            (v128.store offset=16 (local.get $wa) (local.get $v))
            (local.set $a0 (f64x2.relaxed_madd (local.get $v) (local.get $y) (local.get $a0)))
            (local.set $v (f64x2.relaxed_madd (local.get $sb) (local.get $x) (v128.load offset=16 (local.get $wb))))
            (v128.store offset=16 (local.get $wb) (local.get $v))
            (local.set $b0 (f64x2.relaxed_madd (local.get $v) (local.get $y) (local.get $b0)))
            (local.set $o (i32.load offset=4 (local.get $k)))
            (local.set $wa (i32.add (local.get $matrix) (local.get $o)))
            (local.set $wb (i32.add (local.get $wa) (local.get $row_bytes)))
            (local.set $x (v128.load offset=32 (local.get $p)))
            (local.set $y (v128.load offset=32 (local.get $q)))
            (local.set $v (f64x2.relaxed_madd (local.get $sa) (local.get $x) (v128.load (local.get $wa))))
            (v128.store (local.get $wa) (local.get $v))
            (local.set $a1 (f64x2.relaxed_madd (local.get $v) (local.get $y) (local.get $a1)))
            (local.set $v (f64x2.relaxed_madd (local.get $sb) (local.get $x) (v128.load (local.get $wb))))
            (v128.store (local.get $wb) (local.get $v))
            (local.set $b1 (f64x2.relaxed_madd (local.get $v) (local.get $y) (local.get $b1)))
            (local.set $x (v128.load offset=48 (local.get $p)))
            (local.set $y (v128.load offset=48 (local.get $q)))
            (local.set $v (f64x2.relaxed_madd (local.get $sa) (local.get $x) (v128.load offset=16 (local.get $wa))))
            (v128.store offset=16 (local.get $wa) (local.get $v))
            (local.set $a1 (f64x2.relaxed_madd (local.get $v) (local.get $y) (local.get $a1)))
            (local.set $v (f64x2.relaxed_madd (local.get $sb) (local.get $x) (v128.load offset=16 (local.get $wb))))
            (v128.store offset=16 (local.get $wb) (local.get $v))
            (local.set $b1 (f64x2.relaxed_madd (local.get $v) (local.get $y) (local.get $b1)))
            (local.set $o (i32.load offset=8 (local.get $k)))
            (local.set $wa (i32.add (local.get $matrix) (local.get $o)))
            (local.set $wb (i32.add (local.get $wa) (local.get $row_bytes)))
            (local.set $x (v128.load offset=64 (local.get $p)))
            (local.set $y (v128.load offset=64 (local.get $q)))
            (local.set $v (f64x2.relaxed_madd (local.get $sa) (local.get $x) (v128.load (local.get $wa))))
            (v128.store (local.get $wa) (local.get $v))
            (local.set $a2 (f64x2.relaxed_madd (local.get $v) (local.get $y) (local.get $a2)))
            (local.set $v (f64x2.relaxed_madd (local.get $sb) (local.get $x) (v128.load (local.get $wb))))
            (v128.store (local.get $wb) (local.get $v))
            (local.set $b2 (f64x2.relaxed_madd (local.get $v) (local.get $y) (local.get $b2)))
            (local.set $x (v128.load offset=80 (local.get $p)))
            (local.set $y (v128.load offset=80 (local.get $q)))
            (local.set $v (f64x2.relaxed_madd (local.get $sa) (local.get $x) (v128.load offset=16 (local.get $wa))))
            (v128.store offset=16 (local.get $wa) (local.get $v))
            (local.set $a2 (f64x2.relaxed_madd (local.get $v) (local.get $y) (local.get $a2)))
            (local.set $v (f64x2.relaxed_madd (local.get $sb) (local.get $x) (v128.load offset=16 (local.get $wb))))
            (v128.store offset=16 (local.get $wb) (local.get $v))
            (local.set $b2 (f64x2.relaxed_madd (local.get $v) (local.get $y) (local.get $b2)))
            (local.set $o (i32.load offset=12 (local.get $k)))
            (local.set $wa (i32.add (local.get $matrix) (local.get $o)))
            (local.set $wb (i32.add (local.get $wa) (local.get $row_bytes)))
            (local.set $x (v128.load offset=96 (local.get $p)))
            (local.set $y (v128.load offset=96 (local.get $q)))
            (local.set $v (f64x2.relaxed_madd (local.get $sa) (local.get $x) (v128.load (local.get $wa))))
            (v128.store (local.get $wa) (local.get $v))
            (local.set $a3 (f64x2.relaxed_madd (local.get $v) (local.get $y) (local.get $a3)))
            (local.set $v (f64x2.relaxed_madd (local.get $sb) (local.get $x) (v128.load (local.get $wb))))
            (v128.store (local.get $wb) (local.get $v))
            (local.set $b3 (f64x2.relaxed_madd (local.get $v) (local.get $y) (local.get $b3)))
            (local.set $x (v128.load offset=112 (local.get $p)))
            (local.set $y (v128.load offset=112 (local.get $q)))
            (local.set $v (f64x2.relaxed_madd (local.get $sa) (local.get $x) (v128.load offset=16 (local.get $wa))))
            (v128.store offset=16 (local.get $wa) (local.get $v))
            (local.set $a3 (f64x2.relaxed_madd (local.get $v) (local.get $y) (local.get $a3)))
            (local.set $v (f64x2.relaxed_madd (local.get $sb) (local.get $x) (v128.load offset=16 (local.get $wb))))
            (v128.store offset=16 (local.get $wb) (local.get $v))
            (local.set $b3 (f64x2.relaxed_madd (local.get $v) (local.get $y) (local.get $b3)))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (local.set $p (i32.add (local.get $p) (i32.const 128)))
            (local.set $q (i32.add (local.get $q) (i32.const 128)))
            (br $step)))
        (block $done
          (loop $step
            (br_if $done (i32.ge_u (local.get $k) (local.get $end)))
            (local.set $o (i32.load (local.get $k)))
            (local.set $wa (i32.add (local.get $matrix) (local.get $o)))
            (local.set $wb (i32.add (local.get $wa) (local.get $row_bytes)))
            (local.set $x (v128.load (local.get $p)))
            (local.set $y (v128.load (local.get $q)))
            (local.set $v (f64x2.relaxed_madd (local.get $sa) (local.get $x) (v128.load (local.get $wa))))
            (v128.store (local.get $wa) (local.get $v))
            (local.set $a0 (f64x2.relaxed_madd (local.get $v) (local.get $y) (local.get $a0)))
            (local.set $v (f64x2.relaxed_madd (local.get $sb) (local.get $x) (v128.load (local.get $wb))))
            (v128.store (local.get $wb) (local.get $v))
            (local.set $b0 (f64x2.relaxed_madd (local.get $v) (local.get $y) (local.get $b0)))
            (local.set $x (v128.load offset=16 (local.get $p)))
            (local.set $y (v128.load offset=16 (local.get $q)))
            (local.set $v (f64x2.relaxed_madd (local.get $sa) (local.get $x) (v128.load offset=16 (local.get $wa))))
            (v128.store offset=16 (local.get $wa) (local.get $v))
            (local.set $a0 (f64x2.relaxed_madd (local.get $v) (local.get $y) (local.get $a0)))
            (local.set $v (f64x2.relaxed_madd (local.get $sb) (local.get $x) (v128.load offset=16 (local.get $wb))))
            (v128.store offset=16 (local.get $wb) (local.get $v))
            (local.set $b0 (f64x2.relaxed_madd (local.get $v) (local.get $y) (local.get $b0)))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (local.set $p (i32.add (local.get $p) (i32.const 32)))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (br $step)))
        (f64.store (local.get $out) (call $sum_f64x2 (f64x2.add (f64x2.add (local.get $a0) (local.get $a1)) (f64x2.add (local.get $a2) (local.get $a3)))))
        (f64.store offset=8 (local.get $out) (call $sum_f64x2 (f64x2.add (f64x2.add (local.get $b0) (local.get $b1)) (f64x2.add (local.get $b2) (local.get $b3)))))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $column (i32.add (local.get $column) (i32.const 16)))
        (local.set $matrix (i32.add (local.get $matrix) (i32.shl (local.get $row_bytes) (i32.const 1))))
        (local.set $r (i32.add (local.get $r) (i32.const 2)))
        (br $each_pair)))
    (if (i32.lt_u (local.get $r) (local.get $rows))
      (then (call $packed_rows_f64 (local.get $matrix) (local.get $column) (local.get $out)
        (i32.sub (local.get $rows) (local.get $r)) (local.get $cols) (local.get $blocks) (local.get $count) (local.get $packed)))))


  ;; out = matrix · vector over the blocks of 4 columns listed at $blocks (byte offsets into a
  ;; row, $count of them): exactly multiply where the vector is zero outside them. The
  ;; vector's blocks are first copied together to $packed.
  (func (export "multiply_blocks_f64")
    (param $out i32) (param $matrix i32) (param $vector i32) (param $rows i32) (param $cols i32)
    (param $blocks i32) (param $count i32) (param $packed i32)
    (local $r i32) (local $k i32) (local $end i32) (local $p i32) (local $w i32)
    (local $acc0 v128) (local $acc1 v128) (local $acc2 v128) (local $acc3 v128)
    (local.set $end (i32.add (local.get $blocks) (i32.shl (local.get $count) (i32.const 2))))
    (local.set $k (local.get $blocks))
    (local.set $p (local.get $packed))
    (block $done
      (loop $step
        (br_if $done (i32.ge_u (local.get $k) (local.get $end)))
        (v128.store (local.get $p) (v128.load (i32.add (local.get $vector) (i32.load (local.get $k)))))
        (v128.store offset=16 (local.get $p) (v128.load offset=16 (i32.add (local.get $vector) (i32.load (local.get $k)))))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (br $step)))
    (block $rows_done
      (loop $each_row
        (br_if $rows_done (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $acc0 (v128.const i64x2 0 0))
        (local.set $acc1 (v128.const i64x2 0 0))
        (local.set $acc2 (v128.const i64x2 0 0))
        (local.set $acc3 (v128.const i64x2 0 0))
        (local.set $k (local.get $blocks))
        (local.set $p (local.get $packed))
        (block $done
          (loop $step
            (br_if $done (i32.gt_u (i32.add (local.get $k) (i32.const 16)) (local.get $end)))
            (local.set $w (i32.add (local.get $matrix) (i32.load (local.get $k))))
            (local.set $acc0 (f64x2.relaxed_madd (v128.load (local.get $w)) (v128.load (local.get $p)) (local.get $acc0)))
            (local.set $acc0 (f64x2.relaxed_madd (v128.load offset=16 (local.get $w)) (v128.load offset=16 (local.get $p)) (local.get $acc0)))
            (local.set $w (i32.add (local.get $matrix) (i32.load offset=4 (local.get $k))))
            (local.set $acc1 (f64x2.relaxed_madd (v128.load (local.get $w)) (v128.load offset=32 (local.get $p)) (local.get $acc1)))
            (local.set $acc1 (f64x2.relaxed_madd (v128.load offset=16 (local.get $w)) (v128.load offset=48 (local.get $p)) (local.get $acc1)))
            (local.set $w (i32.add (local.get $matrix) (i32.load offset=8 (local.get $k))))
            (local.set $acc2 (f64x2.relaxed_madd (v128.load (local.get $w)) (v128.load offset=64 (local.get $p)) (local.get $acc2)))
            (local.set $acc2 (f64x2.relaxed_madd (v128.load offset=16 (local.get $w)) (v128.load offset=80 (local.get $p)) (local.get $acc2)))
            (local.set $w (i32.add (local.get $matrix) (i32.load offset=12 (local.get $k))))
            (local.set $acc3 (f64x2.relaxed_madd (v128.load (local.get $w)) (v128.load offset=96 (local.get $p)) (local.get $acc3)))
            (local.set $acc3 (f64x2.relaxed_madd (v128.load offset=16 (local.get $w)) (v128.load offset=112 (local.get $p)) (local.get $acc3)))
            (local.set $k (i32.add (local.get $k) (i32.const 16)))
            (local.set $p (i32.add (local.get $p) (i32.const 128)))
            (br $step)))
        (block $done
          (loop $step
            (br_if $done (i32.ge_u (local.get $k) (local.get $end)))
            (local.set $w (i32.add (local.get $matrix) (i32.load (local.get $k))))
            (local.set $acc0 (f64x2.relaxed_madd (v128.load (local.get $w)) (v128.load (local.get $p)) (local.get $acc0)))
            (local.set $acc0 (f64x2.relaxed_madd (v128.load offset=16 (local.get $w)) (v128.load offset=16 (local.get $p)) (local.get $acc0)))
            (local.set $k (i32.add (local.get $k) (i32.const 4)))
            (local.set $p (i32.add (local.get $p) (i32.const 32)))
            (br $step)))
        (f64.store (local.get $out) (call $sum_f64x2 (f64x2.add (f64x2.add (local.get $acc0) (local.get $acc1)) (f64x2.add (local.get $acc2) (local.get $acc3)))))
        (local.set $out (i32.add (local.get $out) (i32.const 8)))
        (local.set $matrix (i32.add (local.get $matrix) (i32.shl (local.get $cols) (i32.const 3))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $each_row))))
)
