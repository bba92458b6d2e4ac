"""The Japanese messages, by key: the same keys and fields as the English ones (see tutor.i18n)."""

JA: dict[str, str] = {
    # check.*
    "check.correct": "正解です。",
    "check.correct_close": "正解です（厳密な値との差は {percent}% です）。",
    "check.correct_off_by": "正解です（厳密な値 {exact} との差は {gap} です）。",
    "check.follow_through": (
        "これまでのあなたの答えを使って計算すると、このステップの値は {target} になるので、"
        "正解とします（厳密な値は {exact} です）。"
    ),
    "check.formula_correct": "正解です。式は期待される式と一致します。",
    "check.formula_divides_by_zero": "{formula} と読みましたが、0 で割っています。割る数を確かめてください。",
    "check.formula_number": "この問いは数ではなく {variables} の式で答えます。",
    "check.formula_number_right": (
        "この問いは {variables} の式で答えます。入力された数は {at} では正しい値です。{variables} の式で入力してください。"
    ),
    "check.formula_number_wrong": (
        "この問いは {variables} の式で答えます。入力された数は {at} での値と違います。{variables} の式で入力してください。"
    ),
    "check.formula_incorrect": "不正解です。式が期待される式と一致しません。",
    "check.formula_untestable": "期待される式 {formula!r} は、比較に必要な数の点で値を計算できません。",
    "check.incorrect": "不正解です。",
    "check.incorrect_far_large": "不正解です。答えが大きすぎます（正しい値の {factor} 倍以上です）。",
    "check.incorrect_large": "不正解です。答えが {percent}% 大きすぎます。",
    "check.incorrect_small": "不正解です。答えが {percent}% 小さすぎます。",
    "check.mistake_unknown": "よくある間違い（{mistake}）と一致しています。",
    "check.more_digits": (
        "有効数字をもう 1 桁増やして入力してください。入力された桁数では、正しい値とよくある間違いの値を"
        "区別できません。この入力は試行回数に数えません。"
    ),
    "check.more_digits_entries": (
        "{entries} 番目の成分の有効数字をもう 1 桁増やして入力してください。入力された桁数では、正しい値と"
        "よくある間違いの値を区別できません。この入力は試行回数に数えません。"
    ),
    "check.near_rounding": "途中の値の丸めで説明できる程度の差です。途中の値を早く丸めすぎていませんか？",
    "check.near_scale_large": "答えが正しい値の {factor} 倍になっています。小数点の位置を確認してください。",
    "check.near_scale_small": "答えが正しい値の {factor} 分の 1 になっています。小数点の位置を確認してください。",
    "check.read_as": "次のように読みました: {shown}",
    "check.vector_entries": "{wrong} 番目の成分が違います（{total} 個中 {right} 個が正解）。",
    "check.vector_entry": "{wrong} 番目の成分が違います（{total} 個中 {right} 個が正解）。",
    "check.vector_length": "{expected} 個の値が必要ですが、{got} 個と読みました。",
    "check.vector_length_comma": (
        "{expected} 個の値が必要ですが、{got} 個と読みました。"
        "小数点には「.」を使い、「,」は値の区切りにだけ使ってください。"
    ),
    # command.*
    "command.back": "1 ステップ戻る",
    "command.help": "このコマンド一覧を表示",
    "command.hint": "ヒント: まずステップの式、次にあなたの数値を入れた式",
    "command.quit": "ここで終了（次回は続きから再開できます）",
    "command.show": "答えを表示して次へ",
    "command.skip": "このステップを飛ばす（後のステップは正確な値を使います）",
    # expr.*
    "expr.arity": "{name}(...) には値をちょうど 1 つ入れてください（{count} 個ありました）。",
    "expr.attribute": "「.」は 0.5 のような数の中でだけ使えます（{pos} 文字目）。",
    "expr.bad_char": "{char!r} はここでは使えません（{pos} 文字目）。",
    "expr.brackets": "角かっこ [ ] は値の並びにだけ使います。まとめるときは ( ) を使ってください。",
    "expr.comparison": "{op!r} のような比較は使えません。値を入力してください。",
    "expr.control_char": "見えない制御文字（{codepoint}）が含まれています。入力し直してください。",
    "expr.decimal_comma": "小数点にはコンマではなくピリオドを使ってください: {suggestion}",
    "expr.division_by_zero": "0 で割っています。",
    "expr.empty": "答えを入力してください。",
    "expr.empty_parens": "{pos} 文字目のかっこの中が空です。",
    "expr.equals": "「=」は付けずに、値または式だけを入力してください。",
    "expr.factorial": "階乗「!」は使えません。",
    "expr.function_needs_call": "{name!r} は関数です。{name}(...) のように書いてください。",
    "expr.implicit_multiplication": "掛け算の記号を書いてください: {suggestion}（{pos} 文字目）",
    "expr.incomplete": "式が途中で終わっています。{near!r} の後に何かが足りません。",
    "expr.keyword": "{word!r} は使えません。使えるのは数、名前、+ - * / ^ と関数だけです。",
    "expr.leading_zero": "数 {number!r} の先頭の 0 を取ってください: {suggestion}",
    "expr.list_empty_item": "{item} 番目の値が空です。",
    "expr.list_item": "{item} 番目の値: {detail}",
    "expr.log_domain": "log には正の数が必要ですが、ここでは {value} になっています。",
    "expr.mismatched": "{open_pos} 文字目の {open!r} が {pos} 文字目の {char!r} で閉じられています。",
    "expr.missing_operator": "{left!r} と {right!r} の間に演算子がありません。",
    "expr.non_ascii": "{pos} 文字目の {char!r}（{codepoint}, {charname}）は読めません。",
    "expr.non_ascii_dash": "{pos} 文字目の {char!r} はマイナス記号ではありません。半角の - を使ってください。",
    "expr.not_a_function": "{name!r} は関数ではありません。掛け算なら {name}*(...) と書いてください。",
    "expr.not_a_number": "{name!r} の値が 1 つの数ではありません。",
    "expr.not_allowed": "答えの中では使えません: {what}",
    "expr.number_range": "数 {number!r} は大きすぎて計算できません。",
    "expr.number_too_long": "{number!r} で始まる数は桁が多すぎます。",
    "expr.one_value": "ここには値を 1 つだけ入力してください。",
    "expr.operator": "演算子 {op!r} は使えません。+ - * / ^ を使ってください。",
    "expr.overflow": "結果が大きすぎて計算できません。",
    "expr.percent": "「%」は使えません。5% は 0.05 と書いてください。",
    "expr.pow_domain": "負の数を小数乗することはできません: {base}^{exponent}",
    "expr.sqrt_domain": "sqrt には 0 以上の数が必要ですが、ここでは {value} になっています。",
    "expr.slope_undefined": "{arg} = {value} では {derivative} が定義されません",
    "expr.slope_overflow": "{name} による微分が大きすぎて計算できません（約 1.8e308 を超えます）",
    "expr.pow_slope_domain": "d({power})/d{exponent} = {power} · log {base} には {base} > 0 が必要なので、{base} = {value} では定義されません",
    "expr.string": "引用符は使えません。数、名前、演算子だけを入力してください。",
    "expr.syntax": "{pos} 文字目の付近が読めません: {near!r}",
    "expr.too_complex": "式が複雑すぎて読めません（演算のつながりは {limit} 段まで）。",
    "expr.too_deep": "かっこの入れ子が深すぎます（{limit} 段まで）。",
    "expr.too_long": "入力が長すぎます（{length} 文字。{limit} 文字以内にしてください）。",
    "expr.too_many_nodes": "式が長すぎます（{limit} 個の要素まで）。",
    "expr.too_many_values": "値が多すぎます（{limit} 個まで）。",
    "expr.unbalanced_close": "{pos} 文字目の {char!r} に対応する開きかっこがありません。",
    "expr.unbound_name": "{name!r} の値がわかりません。",
    "expr.unclosed": "{pos} 文字目の {char!r} が閉じられていません。",
    "expr.unknown_function": "{name!r} という関数はありません。使える関数: {functions}",
    "expr.unknown_function_suggest": (
        "{name!r} という関数はありません。{suggestion!r} のことですか？ 使える関数: {functions}"
    ),
    "expr.unknown_name": "{name!r} という名前はわかりません。使える名前: {names}",
    "expr.unknown_name_suggest": (
        "{name!r} という名前はわかりません。{suggestion!r} のことですか？ 使える名前: {names}"
    ),
    # diagram.*
    "diagram.input": "入力",
    "diagram.layer": "第 {layer} 層（{activation}）",
    "diagram.layer_alone": "出力層（{activation}）、誤差関数: {loss}",
    "diagram.loss": "誤差関数: {loss}",
    "diagram.output": "出力: {output}",
    "diagram.weights": "第 {layer} 層への重みとその勾配:",
    "diagram.adam": "Adam、{t} 回目の更新:",
    "diagram.adam_weight": "重み {i}:",
    "diagram.affine_b": "b（各行に足す、M = {m}）:",
    "diagram.affine_db": "∂E/∂b = ∂E/∂Y の列ごとの和（M = {m}）:",
    "diagram.affine_dw": "∂E/∂W = Xᵀ·∂E/∂Y（D×M = {d}×{m}）:",
    "diagram.affine_dx": "∂E/∂X = ∂E/∂Y·Wᵀ（N×D = {n}×{d}）:",
    "diagram.affine_dy": "∂E/∂Y（上の層から、N×M = {n}×{m}）:",
    "diagram.affine_w": "W（D×M = {d}×{m}）:",
    "diagram.affine_x": "X（1 行が 1 個のデータ、N×D = {n}×{d}）:",
    "diagram.affine_y": "Y = X·W + b（N×M = {n}×{m}）:",
    # mistake.*
    "mistake.activation_forgotten": "それは h ではなく u です。活性化関数が適用されていません（h = f(u)）。",
    "mistake.scores_as_probabilities": (
        "それはスコア u で、確率ではありません。ソフトマックスは hⱼ = exp(uⱼ) / Σₖ exp(uₖ) です。"
    ),
    "mistake.slope_in_u": (
        "f′(u) の h のところに u を入れています。σ′(u) = h(1 − h) で、u(1 − u) ではありません"
        "（tanh′(u) = 1 − h² で、1 − u² ではありません）。"
    ),
    "mistake.sign_flipped_back": "大きさは合っていますが符号が逆です。逆向きに掛ける各因子（δ, w, h）の符号を確かめてください。",
    "mistake.delta_wrong_layer": (
        "別の層の δ を使っています。∂E/∂wⱼᵢ⁽ˡ⁾ = δⱼ⁽ˡ⁾ hᵢ⁽ˡ⁻¹⁾ の δ は重みと同じ層 l のものです。"
    ),
    "mistake.bias_twice": "バイアスを 2 回足しているようです。u = W h + b の b は 1 回だけです。",
    "mistake.upstream_forgotten": (
        "それは局所的な微分だけです。上から来る勾配を掛けてください（∂z/∂v = ∂z/∂c · ∂c/∂v）。"
    ),
    "mistake.chain_factor_forgotten": (
        "連鎖律の因子が 1 つ抜けています。dy/dx = dy/du · du/dx で、内側の関数で評価した外側の微分に内側の微分を掛けます。"
    ),
    "mistake.formula_sign": "式の符号が逆です。正しい式の −1 倍になっています。",
    "mistake.formula_factor": "式が定数倍ずれています。正しい式の定数倍になっています。",
    "mistake.bias_forgotten": "u = W h + b のバイアス b が抜けているようです。",
    "mistake.derivative_at_h": (
        "f′ を u ではなく h で計算しているようです。シグモイドなら f′(u) = σ(u)(1 − σ(u)) = h(1 − h) で、"
        "σ(h)(1 − σ(h)) ではありません。"
    ),
    "mistake.fan_out_not_summed": (
        "この値は複数のノードに使われています。勾配はすべての経路から戻ってくる勾配の和ですが、"
        "その一部しか足していません。"
    ),
    "mistake.gradient_uses_u": "∂E/∂wⱼᵢ = δⱼ hᵢ の hᵢ は活性化関数を通した後の出力で、uᵢ ではありません。",
    "mistake.half_forgotten": (
        "正しい値のちょうど 2 倍です。E = ½ Σ (h − d)² には ½ があるので、∂E/∂h は 2(h − d) ではなく h − d です。"
    ),
    "mistake.learning_rate_forgotten": "更新式は w − η ∂E/∂w です。学習率 η が抜けています。",
    "mistake.missing_derivative": "f′(u) の因子が抜けています。δ = ∂E/∂u なので、活性化関数の微分を掛けます。",
    "mistake.mse_factor_forgotten": "平均二乗誤差では ∂E/∂h = 2(h − d)/n です。2/n の因子が抜けています。",
    "mistake.mse_sum_not_mean": "MSE は二乗誤差の和ではなく平均です。n で割ってください。",
    "mistake.output_as_gradient": "ソフトマックス（またはシグモイド）と交差エントロピーでは、逆伝播の値は h ではなく δ = h − d です。",
    "mistake.sign_flipped": "符号が逆です。講義の δ は d − h ではなく h − d を使います。",
    "mistake.squared_error_for_mse": "この問題は MSE（PyTorch の MSELoss）です。(h − d)² の平均で、½ は付きません。",
    "mistake.transposed_weights": "重みの添字が入れ替わっているようです。wⱼᵢ はユニット i からユニット j への重み（W の j 行 i 列）です。",
    "mistake.update_forgotten": "それは更新前の重みです。更新後の重みは w − η ∂E/∂w です。",
    "mistake.update_sign": "更新は勾配を下る方向です。w + η ∂E/∂w ではなく w − η ∂E/∂w です。",
    "mistake.slope_not_cancelled": (
        "ソフトマックス（またはシグモイド）の出力に交差エントロピーを組み合わせると、f′(u) の因子は打ち消されます。"
        "δ = h − d で、h(1 − h) は掛けません。"
    ),
    "mistake.dx_transpose_forgotten": (
        "∂E/∂X = ∂E/∂Y · Wᵀ です。W を転置してください。W が正方行列なので、転置しなくても形状が合ってしまいます。"
    ),
    "mistake.dw_transpose_forgotten": (
        "∂E/∂W = Xᵀ · ∂E/∂Y です。X を転置してください。バッチサイズ N と D が等しいので、X · ∂E/∂Y でも"
        "形状が合ってしまいます。"
    ),
    "mistake.batch_not_summed": "それは 1 個のデータの分だけです。バッチのすべての行（すべてのデータ）の分を足してください。",
    "mistake.batch_averaged": "勾配はバッチ全体の和で、平均ではありません。ここでは E がデータごとの和なので、N で割りません。",
    "mistake.bias_correction_forgotten": (
        "バイアス補正が抜けています。m̂ = m / (1 − β₁ᵗ)、v̂ = v / (1 − β₂ᵗ) で、更新には m̂ と v̂ を使います。"
    ),
    "mistake.sqrt_forgotten": "更新では v̂ の平方根で割ります。w − η m̂ / (√v̂ + ε) です。",
    "mistake.gradient_not_squared": "v は勾配の 2 乗の移動平均です。v = β₂ v + (1 − β₂) g² です。",
    "mistake.moment_weights_swapped": "β は古いモーメントに、1 − β は新しい項に掛けます。m = β₁ m + (1 − β₁) g、v = β₂ v + (1 − β₂) g² です。",
    # mistake_name.*
    "mistake_name.activation_forgotten": "h = u（活性化忘れ）",
    "mistake_name.scores_as_probabilities": "確率でなくスコア",
    "mistake_name.slope_in_u": "σ′ を u(1 − u)",
    "mistake_name.sign_flipped_back": "逆伝播での符号の逆転",
    "mistake_name.delta_wrong_layer": "別の層の δ",
    "mistake_name.bias_twice": "バイアスの二重加算",
    "mistake_name.upstream_forgotten": "上流の勾配の掛け忘れ",
    "mistake_name.chain_factor_forgotten": "連鎖律の因子忘れ",
    "mistake_name.formula_sign": "式の符号",
    "mistake_name.formula_factor": "定数倍のずれ",
    "mistake_name.bias_forgotten": "バイアス忘れ",
    "mistake_name.derivative_at_h": "f′ を h で計算",
    "mistake_name.fan_out_not_summed": "分岐の勾配の和忘れ",
    "mistake_name.gradient_uses_u": "h の代わりに u",
    "mistake_name.half_forgotten": "½ 忘れ",
    "mistake_name.learning_rate_forgotten": "η 忘れ",
    "mistake_name.missing_derivative": "f′ 忘れ",
    "mistake_name.mse_factor_forgotten": "2/n 忘れ",
    "mistake_name.mse_sum_not_mean": "平均でなく和",
    "mistake_name.output_as_gradient": "h − d でなく h",
    "mistake_name.sign_flipped": "符号の逆転",
    "mistake_name.squared_error_for_mse": "MSE に ½",
    "mistake_name.transposed_weights": "wᵢⱼ と wⱼᵢ の取り違え",
    "mistake_name.update_forgotten": "更新忘れ",
    "mistake_name.update_sign": "更新の符号",
    "mistake_name.slope_not_cancelled": "f′ の打ち消し忘れ",
    "mistake_name.dx_transpose_forgotten": "∂E/∂X の Wᵀ 忘れ",
    "mistake_name.dw_transpose_forgotten": "∂E/∂W の Xᵀ 忘れ",
    "mistake_name.batch_not_summed": "バッチの和忘れ",
    "mistake_name.batch_averaged": "和でなく平均",
    "mistake_name.bias_correction_forgotten": "バイアス補正忘れ",
    "mistake_name.sqrt_forgotten": "平方根忘れ",
    "mistake_name.gradient_not_squared": "g の 2 乗忘れ",
    "mistake_name.moment_weights_swapped": "β と 1 − β の取り違え",
    # phase.*
    "phase.backward": "逆伝播",
    "phase.forward": "順伝播",
    "phase.gradient": "勾配",
    "phase.loss": "誤差",
    "phase.update": "更新後の重み",
    # plain.*
    "plain.finished": "すべてのステップが終わりました。",
    "plain.given": "与えられた値（? はこれから求める値）:",
    "plain.commands": "解答の代わりに入力できるコマンド:",
    "plain.notation_network": (
        "wⱼᵢ⁽ˡ⁾ は第 l−1 層のユニット i から第 l 層のユニット j への重みです"
        "（W⁽ˡ⁾ の j 行目がユニット j への重み）。"
    ),
    "plain.intro": "値（または式）を入力して Enter を押してください。コマンド: hint, show, skip, back, quit（help または ? で一覧）",
    "plain.unfinished": (
        "この問題には途中のセッションがあります（{total} ステップ中 {step}）。新しく始めます。"
        "続きから解くには: bptutor solve {ref} --plain --resume"
    ),
    # progress.*
    "progress.accuracy": "一発正解率",
    "progress.done": "済んだステップ",
    "progress.empty": "まだ記録がありません。まずは bptutor solve xor から始めましょう。",
    "progress.mistakes": "多い間違い",
    "progress.problem": "問題",
    # rule.*
    "rule.activation": "hⱼ = f(uⱼ)",
    "rule.delta_hidden": "δⱼ = f′(uⱼ) Σₖ wₖⱼ δₖ   （k は一つ上の層のユニット）",
    "rule.delta_output": "δⱼ = ∂E/∂uⱼ = ∂E/∂hⱼ · f′(uⱼ)   （出力層）",
    "rule.delta_output_matched": "δⱼ = ∂E/∂uⱼ = hⱼ − dⱼ   （ソフトマックスと交差エントロピー、シグモイドと2値交差エントロピー）",
    "rule.delta_output_softmax": "δⱼ = Σₖ ∂E/∂hₖ · ∂hₖ/∂uⱼ = hⱼ (∂E/∂hⱼ − Σₖ hₖ ∂E/∂hₖ)",
    "rule.grad_bias": "∂E/∂bⱼ = δⱼ",
    "rule.grad_weight": "∂E/∂wⱼᵢ = δⱼ hᵢ   （j は重みの行き先、i は出どころのユニット）",
    "rule.graph_chain": "∂z/∂v = Σ ∂z/∂c · ∂c/∂v （v を使うノード c について和をとる：連鎖律）",
    "rule.graph_formula": "入力の式で表した微分",
    "rule.graph_forward": "入力となるノードの値からこのノードの値を計算する",
    "rule.graph_local": "局所的な微分：ほかの入力は固定して、このノードを一つの入力で微分する",
    "rule.label": "公式: {rule}",
    "rule.loss_binary_cross_entropy": "E = −Σⱼ [dⱼ log hⱼ + (1 − dⱼ) log(1 − hⱼ)]",
    "rule.loss_cross_entropy": "E = −Σⱼ dⱼ log hⱼ",
    "rule.loss_mse": "E = (1/n) Σⱼ (hⱼ − dⱼ)²",
    "rule.loss_squared_error": "E = ½ Σⱼ (hⱼ − dⱼ)²",
    "rule.softmax": "hⱼ = exp(uⱼ) / Σₖ exp(uₖ)",
    "rule.update": "w ← w − η ∂E/∂w",
    "rule.weighted_sum": "uⱼ = Σᵢ wⱼᵢ hᵢ + bⱼ   （u = W h + b。第1層では hᵢ は xᵢ）",
    "rule.adam_m": "m ← β₁ m + (1 − β₁) g   （勾配の移動平均）",
    "rule.adam_mhat": "m̂ = m / (1 − β₁ᵗ)   （バイアス補正：m は 0 から始まる）",
    "rule.adam_update": "w ← w − η m̂ / (√v̂ + ε)",
    "rule.adam_v": "v ← β₂ v + (1 − β₂) g²   （勾配の 2 乗の移動平均）",
    "rule.adam_vhat": "v̂ = v / (1 − β₂ᵗ)   （バイアス補正：v は 0 から始まる）",
    "rule.affine_db": "∂E/∂bⱼ = Σₙ ∂E/∂Yₙⱼ   （∂E/∂b は ∂E/∂Y の列ごとの和、形状 (M,)）",
    "rule.affine_dw": "∂E/∂Wᵢⱼ = Σₙ Xₙᵢ ∂E/∂Yₙⱼ   （∂E/∂W = Xᵀ·∂E/∂Y：(D×N)(N×M) → D×M）",
    "rule.affine_dx": "∂E/∂Xₙᵢ = Σⱼ ∂E/∂Yₙⱼ Wᵢⱼ   （∂E/∂X = ∂E/∂Y·Wᵀ：(N×M)(M×D) → N×D）",
    "rule.affine_forward": "Yₙⱼ = Σᵢ Xₙᵢ Wᵢⱼ + bⱼ   （Y = X·W + b：(N×D)(D×M) → N×M）",
    # session.*
    # saver.*
    "saver.lost_at_end": "{count} 件の解答を進捗データベースに保存できませんでした（{reason}）。コピー: {copy}",
    "saver.no_copy": "なし（コピーも書き込めませんでした）",
    "saver.not_saved": (
        "進捗を保存できていません（{reason}）。未保存の解答: {count} 件。コピー: {copy}。"
        "解答のたびに保存を再試行します。"
    ),
    "saver.saved_again": "進捗を再び {path} に保存できました。失われた解答はありません。",
    "session.answer_too_long": "解答が {length} 文字あります。解答は {limit} 文字までです。採点しておらず、回数にも数えません。",
    "session.hint_formula": "式: {formula}",
    "session.hint_more": "このステップのヒントはここまでです。show で答えを表示できます。",
    "session.hint_numbers": "あなたの値を入れると: {formula}",
    "session.open_elsewhere": "この問題は別の bptutor で開かれているため、混ざらないよう新しいセッションで始めます（もう一方は後で続けられます）。",
    "session.shown": "答えは {answer} です。",
    "session.shown_own": "あなたのこれまでの値から求めた答えは {answer} です（厳密な値からは {exact}）。",
    "session.skipped_answer": "飛ばしました。答えは {answer} です。後のステップではこの厳密な値を使います。",
    "session.worked_exact": "厳密な値を入れると: {formula}",
    "session.unreadable_line": "この行を読めませんでした（UTF-8 のテキストではありません）。回数には数えません。",
    # solution.*
    "solution.as_formula": "式で",
    "solution.formula": "式",
    "solution.given": "与えられた値",
    "solution.notes": "補足",
    "solution.quantity": "量",
    "solution.value": "値",
    "solution.with_numbers": "数値を代入",
    # symbol.*
    "symbol.local": "局所 ∂{top}/∂{bottom}",
    "symbol.updated": "{name}（更新後）",
    "symbol.updated_latex": r"{name}\ \text{{（更新後）}}",
    "symbol.local_latex": r"\left({fraction}\right)_{{\text{{局所}}}}",
    # summary.*
    "summary.later": "やり直しやヒントの後で正解: {count}",
    "summary.mistakes": "途中で指摘された間違い:",
    "summary.no_mistakes": "よくある間違いの指摘はありませんでした。",
    "summary.score": "得点: {total} ステップ中 {right} ステップを一発正解",
    "summary.shown": "答えを表示: {count}",
    "summary.skipped": "飛ばした: {count}",
    # tui.*
    "tui.all_done": "すべてのステップが終わりました。F5 で前のステップに戻れます。F10 で終了します。",
    "tui.all_done_title": "すべて完了",
    "tui.answer_formula": "{variables} の式で",
    "tui.answer_number": "数で（3/4 なども可）",
    "tui.answer_vector_order": "{entries} の順に {count} 個の値をコンマで区切って",
    "tui.diagram_graph": "計算グラフ",
    "tui.diagram_layer": "出力層",
    "tui.diagram_network": "ネットワーク",
    "tui.diagram_affine": "Affine レイヤ",
    "tui.diagram_optimizer": "Adam による更新",
    "tui.earlier_correct": "前の答え: {answer} ✓。答え直すと、ここから先に進みます。",
    "tui.earlier_shown": "このステップは前に答えを表示しました。",
    "tui.earlier_skipped": "このステップは前に飛ばしました。",
    "tui.help_answers": (
        "答え方: 数（0.6225、-8.25、1e-3）、計算式（3/4、0.5*0.7+0.9、1/(1+exp(-1))）、ベクトルのステップでは値の並び（0.3, -0.8, "
        "0.5）、式のステップではその変数の式（-tan(x)）。日本語入力の全角数字もそのまま使えます。"
    ),
    "tui.help_close": "Esc: 閉じる",
    "tui.help_keys": "キー",
    "tui.help_marks": "ステップ一覧の印: ✓ 一発正解、(✓) やり直して正解、! 答えを表示、– 飛ばした、▶ 現在のステップ",
    "tui.help_saved": "答えはその都度保存されます。いつ終了しても、次に bptutor solve を実行すると続きから再開できます。",
    "tui.help_title": "ヘルプ",
    "tui.help_words": "解答欄に入力できるコマンド",
    "tui.input_placeholder": "答えを入力して Enter",
    "tui.key_back": "戻る",
    "tui.key_help": "ヘルプ",
    "tui.key_hint": "ヒント",
    "tui.key_list": "問題一覧",
    "tui.key_quit": "終了",
    "tui.key_show": "答えを見る",
    "tui.key_skip": "飛ばす",
    "tui.key_submit": "解答",
    "tui.picker_empty": "問題が見つかりません。",
    "tui.picker_failed": "{id} を開けませんでした: {error}",
    "tui.picker_heading": "bptutor: 問題を選んでください",
    "tui.picker_id": "ID",
    "tui.picker_keys": "↑ ↓ で選択   Enter で開く   q で終了",
    "tui.picker_kind": "種類",
    "tui.picker_opening": "{id} を開いています…",
    "tui.picker_title": "タイトル",
    "tui.preview_command": "Enter でコマンドを実行: {word}",
    "tui.progress": "{done}/{total} 完了",
    "tui.resume_no": "最初から (n)",
    "tui.resume_question": "この問題には途中までのセッションがあります。続きから再開しますか？（{total} ステップ中 {step} ステップ目から）",
    "tui.resume_title": "再開しますか？",
    "tui.resume_yes": "続きから (y)",
    "tui.resumed": "{total} ステップ中 {step} ステップ目から再開します。",
    "tui.review": "見直し: 求めた値はすべて図に入っています。",
    "tui.score": "得点 {right}",
    "tui.step_of": "ステップ {number}/{total}",
    "tui.steps": "ステップ",
    "tui.summary_quit": "終了 (q)",
    "tui.summary_review": "見直す (r)",
    "tui.summary_title": "全ステップ完了",
    "tui.unreadable": "採点していません（回数には数えません）。",
    # batchnorm
    "diagram.bn_batch": "ミニバッチ N = {n}（∂E/∂yₙ は既知）:",
    "diagram.bn_parameters": "全サンプル共通:",
    "diagram.bn_statistics": "平均と分散（N − 1 でなく N で割る）:",
    "mistake.bn_beta_forgotten": "それは γ ûₙ です。シフト β が抜けています（yₙ = f_BN(uₙ) = γ ûₙ + β）。",
    "mistake.bn_gamma_forgotten": "それは上流の勾配そのものです。∂E/∂ûₙ = ∂E/∂yₙ · γ です。",
    "mistake.bn_mean_path_forgotten": "μ を通る経路が抜けています。uₙ は μ も変えるので、∂E/∂μ · 1/N を足してください。",
    "mistake.bn_sqrt_forgotten": "ûₙ は平方根で割ります。(uₙ − μ) / (σ² + ε) ではなく (uₙ − μ) / √(σ² + ε) です。",
    "mistake.bn_stats_constant": (
        "それは μ と σ² を定数とみなした値（γ/√(σ² + ε) · 上流の勾配）です。μ も σ² も uₙ に依存するので、"
        "σ² を通る経路（∂E/∂σ² · 2(uₙ − μ)/N）と μ を通る経路（∂E/∂μ · 1/N）を足してください。"
    ),
    "mistake.bn_std_for_var": "それは平方根をとった σ です。このステップは σ² = (1/N) Σ (uₙ − μ)² を求めます。",
    "mistake.bn_u_for_u_hat": "∂E/∂γ では上流の勾配に uₙ ではなく、正規化した ûₙ を掛けます。",
    "mistake.bn_var_path_forgotten": "σ² を通る経路が抜けています。uₙ は σ² も変えるので、∂E/∂σ² · 2(uₙ − μ)/N を足してください。",
    "mistake.bn_var_power": "(σ² + ε)⁻¹ᐟ² の微分は −½ (σ² + ε)⁻³ᐟ² です。指数は −½ ではなく −3/2 です（û で書くと、−½ Σ ∂E/∂ûₙ ûₙ をさらに σ² + ε で割ります）。",
    "mistake.bn_var_unbiased": (
        "それは N − 1 で割った σ²（標本分散）を使っています。講義の σ² は 2 乗の平均 (1/N) Σ (uₙ − μ)² です。"
    ),
    "mistake_name.bn_beta_forgotten": "f_BN の β 忘れ",
    "mistake_name.bn_gamma_forgotten": "∂E/∂û の γ 忘れ",
    "mistake_name.bn_mean_path_forgotten": "μ を通る経路忘れ",
    "mistake_name.bn_sqrt_forgotten": "û の √ 忘れ",
    "mistake_name.bn_stats_constant": "μ、σ² を定数扱い",
    "mistake_name.bn_std_for_var": "σ² でなく σ",
    "mistake_name.bn_u_for_u_hat": "∂E/∂γ で û でなく u",
    "mistake_name.bn_var_path_forgotten": "σ² を通る経路忘れ",
    "mistake_name.bn_var_power": "指数 −3/2 でなく −½",
    "mistake_name.bn_var_unbiased": "σ² を 1/(N − 1) で計算",
    "plain.notation_batchnorm": (
        "σ² は講義の分散で、2 乗の平均 (1/N) Σ (uₙ − μ)² です（N − 1 ではなく N で割ります）。"
        "E は与えられた上流の勾配で定めます: E = Σₙ ∂E/∂yₙ · yₙ（線形のプローブ）。"
    ),
    "rule.bn_grad_beta": "∂E/∂β = Σₙ ∂E/∂yₙ   （β はバッチ全体で共有: n について和をとる）",
    "rule.bn_grad_gamma": "∂E/∂γ = Σₙ ∂E/∂yₙ · ûₙ   （γ はバッチ全体で共有: n について和をとる）",
    "rule.bn_grad_mu": "∂E/∂μ = Σₙ ∂E/∂ûₙ · (−1/√(σ² + ε)) + ∂E/∂σ² · (−2/N) Σₙ (uₙ − μ)。最後の和は 0 です",
    "rule.bn_grad_u": (
        "∂E/∂uₙ = ∂E/∂ûₙ / √(σ² + ε) + ∂E/∂σ² · 2(uₙ − μ)/N + ∂E/∂μ / N   （uₙ は ûₙ、σ²、μ を通って E に届く）"
    ),
    "rule.bn_grad_u_hat": "∂E/∂ûₙ = ∂E/∂yₙ · γ",
    "rule.bn_grad_var": "∂E/∂σ² = Σₙ ∂E/∂ûₙ · (uₙ − μ) · (−½)(σ² + ε)⁻³ᐟ² = −½ Σₙ ∂E/∂ûₙ ûₙ / (σ² + ε)",
    "rule.bn_mean": "μ = (1/N) Σₙ uₙ   （ミニバッチの平均）",
    "rule.bn_normalise": "ûₙ = (uₙ − μ) / √(σ² + ε)",
    "rule.bn_output": "yₙ = f_BN(uₙ) = γ ûₙ + β",
    "rule.bn_var": "σ² = (1/N) Σₙ (uₙ − μ)²   （講義の分散: 2 乗の平均。N − 1 ではなく N で割る）",
    "tui.diagram_batchnorm": "バッチ正規化",
    # ---- kind rnn: 時間方向に展開した再帰型ニューラルネット（通時的誤差逆伝播）
    "tui.diagram_rnn": "時間方向に展開した再帰型ニューラルネット",
    "diagram.rnn_time": "t = {t}",
    "diagram.rnn_loss": "E = Σₜ E⁽ᵗ⁾（各時刻の {loss} の和）:",
    "diagram.rnn_w_in": "Wⁱⁿ（中間層 × 入力層）、∂E/∂wⱼᵢⁱⁿ = Σₜ δⱼ⁽ᵗ⁾ xᵢ⁽ᵗ⁾:",
    "diagram.rnn_w": "W（中間層 × 中間層、wⱼⱼ′ は zⱼ′⁽ᵗ⁻¹⁾ からユニット j へ）、∂E/∂wⱼⱼ′ = Σₜ δⱼ⁽ᵗ⁾ zⱼ′⁽ᵗ⁻¹⁾:",
    "diagram.rnn_w_out": "Wᵒᵘᵗ（出力層 × 中間層）、∂E/∂wₖⱼᵒᵘᵗ = Σₜ δₖᵒᵘᵗ⁽ᵗ⁾ zⱼ⁽ᵗ⁾:",
    "diagram.rnn_b": "b（中間層）、∂E/∂bⱼ = Σₜ δⱼ⁽ᵗ⁾:",
    "diagram.rnn_b_out": "bᵒᵘᵗ（出力層）、∂E/∂bₖᵒᵘᵗ = Σₜ δₖᵒᵘᵗ⁽ᵗ⁾:",
    "rule.rnn_hidden_input": "uⱼ⁽ᵗ⁾ = Σᵢ wⱼᵢⁱⁿ xᵢ⁽ᵗ⁾ + Σⱼ′ wⱼⱼ′ zⱼ′⁽ᵗ⁻¹⁾ + bⱼ   （時刻 t の入力と、時刻 t − 1 の中間層の出力）",
    "rule.rnn_hidden_output": "zⱼ⁽ᵗ⁾ = f(uⱼ⁽ᵗ⁾)",
    "rule.rnn_output_input": "vₖ⁽ᵗ⁾ = Σⱼ wₖⱼᵒᵘᵗ zⱼ⁽ᵗ⁾ + bₖᵒᵘᵗ",
    "rule.rnn_output": "yₖ⁽ᵗ⁾ = fᵒᵘᵗ(vₖ⁽ᵗ⁾)",
    "rule.rnn_loss_t": "E⁽ᵗ⁾：時刻 t の誤差。y⁽ᵗ⁾ とその時刻の目標出力 d⁽ᵗ⁾ から求める（二乗誤差なら ½ Σₖ (yₖ⁽ᵗ⁾ − dₖ⁽ᵗ⁾)²）",
    "rule.rnn_loss": "E = Σₜ E⁽ᵗ⁾   （各時刻の誤差の和）",
    "rule.rnn_delta_out": "δₖᵒᵘᵗ⁽ᵗ⁾ = ∂E/∂vₖ⁽ᵗ⁾ = ∂E⁽ᵗ⁾/∂yₖ⁽ᵗ⁾ · fᵒᵘᵗ′(vₖ⁽ᵗ⁾)   （ソフトマックスと交差エントロピーでは yₖ⁽ᵗ⁾ − dₖ⁽ᵗ⁾）",
    "rule.rnn_delta_hidden": (
        "δⱼ⁽ᵗ⁾ = (Σₖ wₖⱼᵒᵘᵗ δₖᵒᵘᵗ⁽ᵗ⁾ + Σⱼ′ wⱼ′ⱼ δⱼ′⁽ᵗ⁺¹⁾) f′(uⱼ⁽ᵗ⁾)   （通時的誤差逆伝播：zⱼ⁽ᵗ⁾ は時刻 t の出力と時刻 t + 1 の"
        "中間層に入るので、両方から δ が戻る。t = T では第 2 項はない）"
    ),
    "rule.rnn_grad_in": "∂E/∂wⱼᵢⁱⁿ = Σₜ δⱼ⁽ᵗ⁾ xᵢ⁽ᵗ⁾   （重みはすべての時刻で共有されるので、時刻ごとの項を足す）",
    "rule.rnn_grad_recurrent": "∂E/∂wⱼⱼ′ = Σₜ δⱼ⁽ᵗ⁾ zⱼ′⁽ᵗ⁻¹⁾   （時刻ごとの項を足す。z⁰ は初期状態）",
    "rule.rnn_grad_out": "∂E/∂wₖⱼᵒᵘᵗ = Σₜ δₖᵒᵘᵗ⁽ᵗ⁾ zⱼ⁽ᵗ⁾   （時刻ごとの項を足す）",
    "rule.rnn_grad_bias": "∂E/∂bⱼ = Σₜ δⱼ⁽ᵗ⁾",
    "rule.rnn_grad_bias_out": "∂E/∂bₖᵒᵘᵗ = Σₜ δₖᵒᵘᵗ⁽ᵗ⁾",
    "mistake.rnn_recurrent_input_forgotten": (
        "帰還の入力が抜けています。uⱼ⁽ᵗ⁾ には一つ前の時刻の中間層の出力からの Σⱼ′ wⱼⱼ′ zⱼ′⁽ᵗ⁻¹⁾ も入ります。"
    ),
    "mistake.rnn_recurrent_term_forgotten": (
        "帰還の項が抜けた通時的誤差逆伝播です。zⱼ⁽ᵗ⁾ は時刻 t + 1 の中間層にも入るので、δⱼ⁽ᵗ⁾ には Σₖ wₖⱼᵒᵘᵗ δₖᵒᵘᵗ⁽ᵗ⁾ に加えて "
        "Σⱼ′ wⱼ′ⱼ δⱼ′⁽ᵗ⁺¹⁾ が戻ります。"
    ),
    "mistake.rnn_recurrent_transposed": (
        "W を転置して読んでいます。wⱼⱼ′（j 行 j′ 列）は zⱼ′⁽ᵗ⁻¹⁾ からユニット j への重みです。逆伝播では時刻 t の"
        "ユニット j に wⱼ′ⱼ δⱼ′⁽ᵗ⁺¹⁾（j 列）が戻り、∂E/∂wⱼⱼ′ は δⱼ⁽ᵗ⁾ と zⱼ′⁽ᵗ⁻¹⁾ の積の和です。"
    ),
    "mistake.rnn_not_summed_over_t": (
        "それは一つの時刻の項だけです。重みはすべての時刻で共有されるので、勾配は t = 1 … T の項の和です"
        "（E も各時刻の誤差の和です）。"
    ),
    "mistake_name.rnn_recurrent_input_forgotten": "u⁽ᵗ⁾ に z⁽ᵗ⁻¹⁾ の項なし",
    "mistake_name.rnn_recurrent_term_forgotten": "帰還の項の忘れ",
    "mistake_name.rnn_recurrent_transposed": "W の転置",
    "mistake_name.rnn_not_summed_over_t": "一つの時刻の項だけ",
    "mistake.rnn_state_of_same_t": (
        "∂E/∂wⱼⱼ′ は δⱼ⁽ᵗ⁾ と zⱼ′⁽ᵗ⁻¹⁾（W を通って uⱼ⁽ᵗ⁾ に入った一つ前の時刻の出力）の積の和です。同じ時刻の zⱼ′⁽ᵗ⁾ ではありません。"
    ),
    "mistake_name.rnn_state_of_same_t": "z⁽ᵗ⁻¹⁾ でなく z⁽ᵗ⁾",
    # check.matrix_*
    "check.matrix_entries": "成分 {wrong} が違います（{total} 個中 {right} 個が正解）。",
    "check.matrix_entry": "成分 {wrong} が違います（{total} 個中 {right} 個が正解）。",
    "check.matrix_form": "{name}: {rows}×{columns} 行列。行は ';' で、成分はコンマか空白で区切って（\"1, 2; 3, 4\"）",
    "check.matrix_item": "成分 ({row}, {column}): {detail}",
    "check.matrix_more_digits": (
        "成分 {entries} の有効数字をもう 1 桁増やして入力してください。入力された桁数では、正しい値と"
        "よくある間違いの値を区別できません。この入力は試行回数に数えません。"
    ),
    "check.matrix_ragged": (
        "{row} 行目の成分は {got} 個ですが、1 行目は {first} 個です。どの行も同じ個数にしてください。"
        "この入力は試行回数に数えません。"
    ),
    "check.matrix_shape": (
        "{got} 行列と読みましたが、このステップは {expected} 行列です（行は ';' で区切ります）。"
        "この入力は試行回数に数えません。"
    ),
    # conv/pool
    "diagram.conv_channel": "チャネル {c}:",
    "diagram.conv_f": "f(u)、f = {activation}:",
    "diagram.conv_filter": "フィルタ h（{n}×{n}）、ストライド {stride}、パディング {padding}:",
    "diagram.conv_grad_f": "∂E/∂f(u)（プーリングを通した勾配）:",
    "diagram.conv_grad_h": "∂E/∂h（すべての出力位置について和をとる）:",
    "diagram.conv_grad_u": "∂E/∂u:",
    "diagram.conv_grad_z": "∂E/∂z（入力について）:",
    "diagram.conv_input": "入力 z（{n}×{n}）。[ ] は次に求める出力成分の窓です:",
    "diagram.conv_pool_average": "平均プーリング、領域 {size}×{size}、ストライド {stride}:",
    "diagram.conv_pool_max": "最大プーリング、領域 {size}×{size}、ストライド {stride}:",
    "diagram.conv_u": "u（畳み込みの出力、{n}×{n}）:",
    "diagram.conv_upstream": "∂E/∂（最後の出力）、与えられた値:",
    "mistake.conv_avgpool_not_divided": "平均プーリングでは H² で割ります。領域の各入力には ∂E/∂y そのものではなく ∂E/∂y / H² が伝わります。",
    "mistake.conv_filter_flipped": (
        "それはフィルタを反転した本来の畳み込みです。講義ではフィルタを書かれたとおりに当てます（各窓の左上に h₁₁）。"
    ),
    "mistake.conv_filter_grad_not_summed": (
        "それは 1 つの出力位置の項だけです。同じフィルタをすべての位置で使うので、∂E/∂hₚq はすべての位置について"
        "∂E/∂uᵢⱼ と対応する入力の積を足し合わせます。"
    ),
    "mistake.conv_maxpool_averaged": (
        "それは平均プーリングのように ∂E/∂y を領域に分けています。最大プーリングでは領域の最大値の入力に ∂E/∂y がそのまま伝わり、"
        "ほかの入力は 0 です。"
    ),
    "mistake.conv_maxpool_to_every_input": "最大プーリングでは ∂E/∂y は領域の最大値だった入力にだけ伝わり、ほかの入力は 0 です。",
    "mistake_name.conv_avgpool_not_divided": "平均プーリングの δ を H² で割り忘れ",
    "mistake_name.conv_filter_flipped": "フィルタの反転",
    "mistake_name.conv_filter_grad_not_summed": "フィルタ勾配の和忘れ",
    "mistake_name.conv_maxpool_averaged": "最大プーリングの δ を平均",
    "mistake_name.conv_maxpool_to_every_input": "最大プーリングの δ を全入力へ",
    "rule.conv_activation": "f(uᵢⱼ)（成分ごと）",
    "rule.conv_forward": (
        "uᵢⱼ = Σₚ,q z_((i−1)S+p, (j−1)S+q) hₚq + b   （p, q = 1 … H。ストライド 1 なら z_(i+p−1, j+q−1)。"
        "フィルタは反転しません。パディングは z の周りに 0 を足します）"
    ),
    "rule.conv_grad_bias": "∂E/∂b = Σᵢ,ⱼ ∂E/∂uᵢⱼ   （b はすべての出力位置で足されます）",
    "rule.conv_grad_filter": (
        "∂E/∂hₚq = Σᵢ,ⱼ ∂E/∂uᵢⱼ z_((i−1)S+p, (j−1)S+q)   （h はすべての出力位置で共有されるので、すべてについて和をとります）"
    ),
    "rule.conv_grad_input": (
        "∂E/∂zₐᵦ = Σ ∂E/∂uᵢⱼ hₚq（z_aβ を窓に含むすべての出力 (i, j) について。h_pq はその上に重なるフィルタ成分）"
        "   （δ の漸化式。どの窓も届かない所は 0）"
    ),
    "rule.conv_grad_pool_average": "領域 (i, j) の各入力に ∂E/∂yᵢⱼ / H² が伝わります   （重なる領域の分は足し合わせます）",
    "rule.conv_grad_pool_max": (
        "∂E/∂yᵢⱼ は領域 (i, j) の最大値の入力にだけ伝わり、ほかは 0 です。同じ最大値が複数あるときは行の順で最初のもの"
        "   （重なる領域の分は足し合わせます）"
    ),
    "rule.conv_grad_u": "∂E/∂uᵢⱼ = ∂E/∂f(uᵢⱼ) · f′(uᵢⱼ)",
    "rule.conv_pool_average": "yᵢⱼ = 領域 (i, j) の平均（和を H² で割る）",
    "rule.conv_pool_max": "yᵢⱼ = 領域 (i, j) の最大値",
    "rule.conv_pool_size": "m = ⌊(n − H)/S⌋ + 1   （n はマップの一辺、H は領域の一辺、S はプーリングのストライド）",
    "rule.conv_size": "n = ⌊(W − H + 2P)/S⌋ + 1   （W は画像の一辺、H はフィルタの一辺、P はパディング、S はストライド）",
    "tui.diagram_conv": "畳み込み",
    "tui.diagram_pool": "プーリング",
    "dot.conv_window": "網掛け: {entry} の窓",
    "dot.conv_region": "網掛け: {entry} の領域",
    "dot.conv_padding": "灰色: パディングの 0（P = {padding}）",
    "dot.conv_given": "{gradient}（既知）",
    "dot.conv_stride": "ストライド {stride}、パディング {padding}",
    "dot.conv_pool_max": "最大プーリング {size}×{size}、ストライド {stride}",
    "dot.conv_pool_average": "平均プーリング {size}×{size}、ストライド {stride}",
    "dot.bn_batch": "ミニバッチ N = {n}（∂E/∂yₙ は既知）",
    "dot.rnn_loss": "各時刻の {loss} の和",
    "dot.rnn_parameters": "すべての時刻で共有: 勾配は各時刻の項の和",
}
