<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ApiKeyModel</name>
    <message>
        <source>The API key is empty: paste the whole key and try again.</source>
        <translation>API 密钥为空：请粘贴完整的密钥后重试。</translation>
    </message>
    <message>
        <source>This computer has no system keyring to keep the API key in: set the OPENAI_API_KEY environment variable instead.</source>
        <translation>这台电脑没有可保存 API 密钥的系统钥匙串：请改为设置环境变量 OPENAI_API_KEY。</translation>
    </message>
    <message>
        <source>The system keyring refused the change (is it locked?): unlock it and try again.</source>
        <translation>系统钥匙串拒绝了此更改（是否已锁定？）：请解锁后重试。</translation>
    </message>
    <message>
        <source>The system keyring could not be used: try again.</source>
        <translation>无法使用系统钥匙串：请重试。</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>BatchPanel</name>
    <message>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>left out</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Load CSV…</source>
        <translation>载入 CSV…</translation>
    </message>
    <message>
        <source>A UTF-8 CSV with a header: each row fills the spec&apos;s {column} placeholders</source>
        <translation>带表头的 UTF-8 CSV：每一行的值填入规格中的 {列名} 占位符</translation>
    </message>
    <message>
        <source>Directly, a few at a time</source>
        <translation>直接发送，每次几个</translation>
    </message>
    <message>
        <source>As a Batch (half price, within 24 h)</source>
        <translation>作为批处理（半价，24 小时内完成）</translation>
    </message>
    <message>
        <source>Run rows</source>
        <translation>运行各行</translation>
    </message>
    <message>
        <source>Retry failed</source>
        <translation>重试失败行</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop the run; images that arrived are kept</source>
        <translation>停止运行；已收到的图片会保留</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Texts</source>
        <translation>文字</translation>
    </message>
    <message>
        <source>Estimate</source>
        <translation>预估</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Load rows</source>
        <translation>载入表格</translation>
    </message>
    <message>
        <source>CSV tables (*.csv);;All files (*)</source>
        <translation>CSV 表格 (*.csv);;所有文件 (*)</translation>
    </message>
    <message>
        <source>No table loaded</source>
        <translation>未载入表格</translation>
    </message>
    <message numerus="yes">
        <source>Run %n row(s)</source>
        <translation>
            <numerusform>运行 %n 行</numerusform>
        </translation>
    </message>
    <message>
        <source>Load a CSV: one job per row, its values in the spec&apos;s {column}s.</source>
        <translation>载入 CSV：每行一个任务，其值填入规格中的 {列名}。</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n 行</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n left out (marked)</source>
        <translation>
            <numerusform>跳过 %n 行（已标出）</numerusform>
        </translation>
    </message>
    <message>
        <source>about {usd} in all, at the Batch API&apos;s half price</source>
        <translation>共约 {usd}（批处理 API 半价）</translation>
    </message>
    <message>
        <source>about {usd} in all</source>
        <translation>共约 {usd}</translation>
    </message>
    <message>
        <source>batch {id}</source>
        <translation>批处理 {id}</translation>
    </message>
    <message>
        <source>{done}/{total} done, {running} running, {failed} failed, {usd} so far</source>
        <translation>已完成 {done}/{total}，运行中 {running}，失败 {failed}，已花费 {usd}</translation>
    </message>
</context>
<context>
    <name>BuilderPanel</name>
    <message>
        <source>Describe the image in English: subject, composition, lighting…</source>
        <translation>用英文描述画面：主体、构图、光线……</translation>
    </message>
    <message>
        <source>Style (optional): flat, vintage poster…</source>
        <translation>风格（可选）：扁平、复古海报……</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the compiled prompt</source>
        <translation>复制生成的提示词</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>画面描述</translation>
    </message>
    <message>
        <source>Style</source>
        <translation>风格</translation>
    </message>
    <message>
        <source>Canvas</source>
        <translation>画布</translation>
    </message>
    <message>
        <source>Text in the image</source>
        <translation>图中文字</translation>
    </message>
    <message>
        <source>Compiled prompt</source>
        <translation>最终提示词</translation>
    </message>
    <message>
        <source>Describe the image or add a text, then Generate.</source>
        <translation>描述画面或添加文字，然后点击“生成”。</translation>
    </message>
</context>
<context>
    <name>ComparePage</name>
    <message>
        <source>Select two images in Variations (Ctrl+click) to compare them here.</source>
        <translation>在“变体”中选择两张图片（Ctrl+单击），即可在这里对比。</translation>
    </message>
</context>
<context>
    <name>ConnectionTester</name>
    <message>
        <source>The test could not be run: try again.</source>
        <translation>无法进行测试：请重试。</translation>
    </message>
    <message numerus="yes">
        <source>Connected: the service offers %n model(s).</source>
        <translation>
            <numerusform>连接成功：该服务提供 %n 个模型。</numerusform>
        </translation>
    </message>
    <message>
        <source>The service refused the API key (HTTP {0}): check the key below.</source>
        <translation>服务拒绝了 API 密钥（HTTP {0}）：请检查下方的密钥。</translation>
    </message>
    <message>
        <source>The service answered, but has no /models there (HTTP 404): check that the base URL ends in /v1.</source>
        <translation>服务有响应，但找不到 /models（HTTP 404）：请确认基础 URL 以 /v1 结尾。</translation>
    </message>
    <message>
        <source>The service answered with an error (HTTP {0}): try again later.</source>
        <translation>服务返回了错误（HTTP {0}）：请稍后重试。</translation>
    </message>
    <message>
        <source>The service did not answer in time: check the address and network.</source>
        <translation>服务未及时响应：请检查地址和网络。</translation>
    </message>
    <message>
        <source>The service could not be reached: check the base URL and your network.</source>
        <translation>无法连接到服务：请检查基础 URL 和网络。</translation>
    </message>
    <message>
        <source>Something answered, but not like an OpenAI-compatible service: check the base URL.</source>
        <translation>有响应，但不像兼容 OpenAI 的服务：请检查基础 URL。</translation>
    </message>
</context>
<context>
    <name>EditPanel</name>
    <message>
        <source>Select an image in Variations, then say what to change.</source>
        <translation>在“变体”中选择一张图片，然后说出要修改的地方。</translation>
    </message>
    <message>
        <source>Paint mask</source>
        <translation>绘制蒙版</translation>
    </message>
    <message>
        <source>Paint where the image may change; the rest is kept</source>
        <translation>涂出允许修改的区域；其余部分保持不变</translation>
    </message>
    <message>
        <source>Import mask…</source>
        <translation>导入蒙版…</translation>
    </message>
    <message>
        <source>A PNG of the image&apos;s size: transparent (or black) where the image may change</source>
        <translation>与图片同尺寸的 PNG：透明（或黑色）处为允许修改的区域</translation>
    </message>
    <message>
        <source>Clear mask</source>
        <translation>清除蒙版</translation>
    </message>
    <message>
        <source>Keep the original outside the mask</source>
        <translation>蒙版外保留原图</translation>
    </message>
    <message>
        <source>Models change pixels they were told to keep: this puts the original&apos;s back. Switch it off to keep the model&apos;s whole image.</source>
        <translation>模型常会改动本应保留的像素：此项会把原图的像素放回去。关闭后保留模型生成的整张图片。</translation>
    </message>
    <message>
        <source>The new text, exactly</source>
        <translation>新的文字（逐字）</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <source>Say what to change, e.g. “swap the background to a sunset, keep the rest”</source>
        <translation>说出要修改的地方，例如“把背景换成日落，其余保持不变”</translation>
    </message>
    <message>
        <source>Versions per turn</source>
        <translation>每轮生成的版本数</translation>
    </message>
    <message>
        <source>Replace text…</source>
        <translation>替换文字…</translation>
    </message>
    <message>
        <source>Finalize…</source>
        <translation>定稿…</translation>
    </message>
    <message>
        <source>Render this draft again at a higher quality or a larger size</source>
        <translation>以更高质量或更大尺寸重新渲染这张草图</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Import a mask</source>
        <translation>导入蒙版</translation>
    </message>
    <message>
        <source>Mask image (*.png)</source>
        <translation>蒙版图片 (*.png)</translation>
    </message>
    <message>
        <source>local draft</source>
        <translation>本地草稿</translation>
    </message>
    <message>
        <source>Mask: none</source>
        <translation>蒙版：无</translation>
    </message>
    <message>
        <source>Without a mask the whole image may change</source>
        <translation>没有蒙版时，整张图片都可能被修改</translation>
    </message>
    <message>
        <source>Mask: on</source>
        <translation>蒙版：已设置</translation>
    </message>
    <message>
        <source>Only the marked area changes</source>
        <translation>只修改标出的区域</translation>
    </message>
    <message>
        <source>Type what to change, then send.</source>
        <translation>请输入要修改的地方，然后发送。</translation>
    </message>
    <message>
        <source>Select an image in Variations to edit it.</source>
        <translation>请先在“变体”中选择要编辑的图片。</translation>
    </message>
    <message>
        <source>Not sent: {reason}.</source>
        <translation>未发送：{reason}。</translation>
    </message>
    <message>
        <source>This mask cannot be used: {reason}.</source>
        <translation>无法使用此蒙版：{reason}。</translation>
    </message>
    <message>
        <source>Interrupted when the studio closed; nothing was made.</source>
        <translation>工作室关闭时被中断，没有生成图片。</translation>
    </message>
    <message>
        <source>Cancelled; nothing was made.</source>
        <translation>已取消，没有生成图片。</translation>
    </message>
    <message>
        <source>Failed: {reason}</source>
        <translation>失败：{reason}</translation>
    </message>
    <message>
        <source>Failed; nothing was made.</source>
        <translation>失败，没有生成图片。</translation>
    </message>
    <message>
        <source>This image service cannot edit images, so editing is switched off. Choose another service or the local engine in Settings to edit.</source>
        <translation>此图像服务无法编辑图片，因此编辑功能已关闭。如需编辑，请在“设置”中选择其他服务或本地引擎。</translation>
    </message>
    <message>
        <source>This image service does not take masks, so the mask tools are switched off; edits change the whole image.</source>
        <translation>此图像服务不支持蒙版，因此蒙版工具已关闭；编辑会修改整张图片。</translation>
    </message>
    <message>
        <source>{role}: {old} → {new}</source>
        <translation>{role}：{old} → {new}</translation>
    </message>
    <message>
        <source>Added a {role}: {text}</source>
        <translation>新增{role}：{text}</translation>
    </message>
    <message>
        <source>Removed the {role}: {text}</source>
        <translation>删除{role}：{text}</translation>
    </message>
    <message>
        <source>Moved the {role}</source>
        <translation>移动了{role}</translation>
    </message>
    <message>
        <source>Resized the {role}&apos;s box</source>
        <translation>调整了{role}的文本框大小</translation>
    </message>
    <message>
        <source>Typography of the {role}</source>
        <translation>{role}的字体样式</translation>
    </message>
    <message>
        <source>The {old} is now a {role}</source>
        <translation>{old}改为{role}</translation>
    </message>
    <message>
        <source>Order of the texts</source>
        <translation>文字顺序</translation>
    </message>
    <message>
        <source>{count} more</source>
        <translation>另有 {count} 处</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Lossless</source>
        <translation>无损</translation>
    </message>
    <message>
        <source>What transparent pixels are laid on in a JPEG</source>
        <translation>JPEG 中透明像素铺在什么颜色上</translation>
    </message>
    <message>
        <source>Embed the spec (the studio can restore it from the file)</source>
        <translation>嵌入规格（工作室可从文件恢复）</translation>
    </message>
    <message>
        <source>Fields: {fields}</source>
        <translation>字段：{fields}</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>图片</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>质量</translation>
    </message>
    <message>
        <source>File name</source>
        <translation>文件名</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>The selected image</source>
        <translation>所选图片</translation>
    </message>
    <message>
        <source>All {count} images of its job</source>
        <translation>所在任务的全部 {count} 张图片</translation>
    </message>
    <message>
        <source>The template has an unknown field or a stray brace: use {fields}.</source>
        <translation>模板含有未知字段或多余的花括号：请使用 {fields}。</translation>
    </message>
    <message>
        <source>For example: {name}</source>
        <translation>例如：{name}</translation>
    </message>
    <message>
        <source>Background</source>
        <translation>背景</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Background for JPEG</source>
        <translation>JPEG 背景色</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>导出到</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>File already there</source>
        <translation>文件已存在</translation>
    </message>
    <message>
        <source>“{name}” is already in the folder.</source>
        <translation>文件夹中已有“{name}”。</translation>
    </message>
    <message>
        <source>Replace the file there with the new image, or keep both (the new one gets -2)?</source>
        <translation>用新图片替换已有文件，还是两者都保留（新文件名加 -2）？</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <source>Do the same for the rest ({count} more)</source>
        <translation>其余的也这样处理（还有 {count} 个）</translation>
    </message>
    <message>
        <source>{count} skipped (their names were taken).</source>
        <translation>跳过了 {count} 个（文件名已被占用）。</translation>
    </message>
    <message>
        <source>Keep both</source>
        <translation>两者都保留</translation>
    </message>
    <message>
        <source>Taken name {number} of {count}. Replace the file there with the new image, keep both (the new one gets -2), or skip this image?</source>
        <translation>同名文件第 {number} 个，共 {count} 个。用新图片替换已有文件、两者都保留（新文件名加 -2），还是跳过这张图片？</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>Stopped after {count} file(s): {reason}</source>
        <translation>写入 {count} 个文件后停止：{reason}</translation>
    </message>
    <message>
        <source>“{name}” was not replaced: the file already there is as it was.</source>
        <translation>“{name}”没有被替换：已有文件保持原样。</translation>
    </message>
    <message>
        <source>Cancelled: {count} file(s) written to {folder} are kept.</source>
        <translation>已取消：已写入 {folder} 的 {count} 个文件会保留。</translation>
    </message>
    <message>
        <source>Exported {count} file(s) to {folder}.</source>
        <translation>已导出 {count} 个文件到 {folder}。</translation>
    </message>
</context>
<context>
    <name>FidelityControls</name>
    <message>
        <source>Order of the images</source>
        <translation>图片的排列顺序</translation>
    </message>
    <message>
        <source>Newest first</source>
        <translation>最新在前</translation>
    </message>
    <message>
        <source>Exact text first</source>
        <translation>文字准确的在前</translation>
    </message>
    <message>
        <source>Which images to show, by their text check</source>
        <translation>按文字核对结果显示哪些图片</translation>
    </message>
    <message>
        <source>All images</source>
        <translation>全部图片</translation>
    </message>
    <message>
        <source>Exact text</source>
        <translation>文字准确</translation>
    </message>
    <message>
        <source>Text to fix</source>
        <translation>文字待修正</translation>
    </message>
    <message>
        <source>Fix text</source>
        <translation>修正文字</translation>
    </message>
    <message>
        <source>Put the wrong characters right</source>
        <translation>把错字改对</translation>
    </message>
    <message>
        <source>Check the text</source>
        <translation>核对文字</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文字</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>无</translation>
    </message>
    <message>
        <source>{role}: {found} → {text}</source>
        <translation>{role}：{found} → {text}</translation>
    </message>
    <message>
        <source>Ask the model for the exact text</source>
        <translation>请模型改成准确的文字</translation>
    </message>
    <message>
        <source>Clear it and set the exact text here</source>
        <translation>清除后在此处排入准确的文字</translation>
    </message>
    <message>
        <source>Check the text again</source>
        <translation>重新核对文字</translation>
    </message>
</context>
<context>
    <name>FinalizeDialog</name>
    <message>
        <source>Finalize</source>
        <translation>定稿</translation>
    </message>
    <message>
        <source>Render the current version again, keeping its composition.</source>
        <translation>重新渲染当前版本，保持其构图不变。</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>质量</translation>
    </message>
    <message>
        <source>Size tier</source>
        <translation>尺寸档位</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>尺寸</translation>
    </message>
    <message>
        <source>Estimate</source>
        <translation>预估</translation>
    </message>
    <message>
        <source>{estimate} on {model}; local drafts cost nothing</source>
        <translation>在 {model} 上 {estimate}；本地草稿免费</translation>
    </message>
</context>
<context>
    <name>GalleryPage</name>
    <message>
        <source>Generated images appear here. Select one to see it large.</source>
        <translation>生成的图片会显示在这里。选中一张可查看大图。</translation>
    </message>
    <message>
        <source>Favourite</source>
        <translation>收藏</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>Copy image</source>
        <translation>复制图片</translation>
    </message>
    <message>
        <source>Open in viewer</source>
        <translation>在查看器中打开</translation>
    </message>
    <message>
        <source>Show in folder</source>
        <translation>在文件夹中显示</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适合窗口</translation>
    </message>
    <message>
        <source>100%</source>
        <translation>100%</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Unfavourite</source>
        <translation>取消收藏</translation>
    </message>
</context>
<context>
    <name>GenerationBar</name>
    <message>
        <source>The image model</source>
        <translation>图像模型</translation>
    </message>
    <message>
        <source>Higher quality costs more and takes longer</source>
        <translation>质量越高，费用越高，耗时越长</translation>
    </message>
    <message>
        <source>How many images to make (1 to 10)</source>
        <translation>要生成的图片数量（1 到 10）</translation>
    </message>
    <message>
        <source>Transparent needs PNG or WebP</source>
        <translation>透明背景需要 PNG 或 WebP 格式</translation>
    </message>
    <message>
        <source>The file format of the images</source>
        <translation>图片的文件格式</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>WebP and JPEG compression, 0 to 100</source>
        <translation>WebP 和 JPEG 的压缩率，0 到 100</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Generate (Ctrl+Enter)</source>
        <translation>生成（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop the running jobs; images that arrived are kept (Esc)</source>
        <translation>停止正在运行的任务；已收到的图片会保留（Esc）</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>质量</translation>
    </message>
    <message>
        <source>Variations</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Background</source>
        <translation>背景</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Nothing to estimate yet</source>
        <translation>暂无可预估的内容</translation>
    </message>
    <message>
        <source>About {input} input tokens and {output} output tokens ({per} per image × {n}).</source>
        <translation>约 {input} 个输入 token 和 {output} 个输出 token（每张 {per} × {n}）。</translation>
    </message>
    <message>
        <source>Includes the {count} partial previews per image (100 output tokens each). Not included: retries.</source>
        <translation>包括每张图的 {count} 张预览图（每张 100 个输出 token）。不包括：重试。</translation>
    </message>
    <message>
        <source>Not included: retries.</source>
        <translation>不包括：重试。</translation>
    </message>
    <message>
        <source>On the service: ≈ {amount}</source>
        <translation>在线服务：≈ {amount}</translation>
    </message>
    <message>
        <source>Prices: your own, from the settings.</source>
        <translation>价格：您在设置中填写的价格。</translation>
    </message>
    <message>
        <source>Prices: the built-in table of {date}.</source>
        <translation>价格：内置价格表（{date}）。</translation>
    </message>
    <message>
        <source>The local engine makes drafts at no cost; this is the service&apos;s price.</source>
        <translation>本地引擎生成草稿不收费；这里显示的是在线服务的价格。</translation>
    </message>
    <message>
        <source>Exact text</source>
        <translation>精确文字</translation>
    </message>
    <message>
        <source>Exact text: the model paints the scene with clean space where the boxes are and no text; the studio sets your texts over it, exactly as typed. Changing a text later costs nothing.</source>
        <translation>精确文字：模型只画场景，在文字框处留出干净的空间且不画任何文字；工作室把你输入的文字原样排在上面。之后修改文字不花钱。</translation>
    </message>
</context>
<context>
    <name>JobsPanel</name>
    <message>
        <source>Job {id}: 1 image, {size}</source>
        <translation>任务 {id}：1 张图片，{size}</translation>
    </message>
    <message>
        <source>Job {id}: {n} images, {size}</source>
        <translation>任务 {id}：{n} 张图片，{size}</translation>
    </message>
    <message>
        <source>local draft</source>
        <translation>本地草稿</translation>
    </message>
    <message>
        <source>local drafts</source>
        <translation>本地草稿</translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation>取消任务</translation>
    </message>
    <message>
        <source>Cancel the selected job; images that arrived are kept</source>
        <translation>取消选中的任务；已收到的图片会保留</translation>
    </message>
</context>
<context>
    <name>LayoutBoard</name>
    <message>
        <source>Drag a box to move it, its handles to resize it; it snaps to the centre lines, thirds, margins and other boxes (Alt: no snapping). Arrow keys nudge it (Shift: ten pixels).</source>
        <translation>拖动文字框可移动，拖动控制点可调整大小；会吸附到中线、三分线、安全边距和其他文字框（按住 Alt 不吸附）。方向键微移（Shift：10 像素）。</translation>
    </message>
</context>
<context>
    <name>LayoutBoardModel</name>
    <message>
        <source>Move text {0}</source>
        <translation>移动文字 {0}</translation>
    </message>
    <message>
        <source>Change the look of text {0}</source>
        <translation>更改文字 {0} 的样式</translation>
    </message>
</context>
<context>
    <name>LayoutPage</name>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Show the selected variation under the boxes (an exact-text image: its text-free background, so the board shows the composite as it would be set now)</source>
        <translation>在文字框下方显示选中的变体（精确文字图片显示其无字底图，版式板即按当前设置预览合成效果）</translation>
    </message>
</context>
<context>
    <name>LibraryModel</name>
    <message>
        <source>Delete image</source>
        <translation>删除图片</translation>
    </message>
</context>
<context>
    <name>LibraryPanel</name>
    <message>
        <source>Search texts, descriptions and edits (Ctrl+F)</source>
        <translation>搜索文字、描述和编辑指令（Ctrl+F）</translation>
    </message>
    <message>
        <source>Favourites</source>
        <translation>收藏</translation>
    </message>
    <message>
        <source>Exact text</source>
        <translation>文字准确</translation>
    </message>
    <message>
        <source>Only images whose text was checked and came out exact</source>
        <translation>只显示文字已检查且完全准确的图片</translation>
    </message>
    <message>
        <source>Trash</source>
        <translation>回收站</translation>
    </message>
    <message>
        <source>All engines</source>
        <translation>全部引擎</translation>
    </message>
    <message>
        <source>Local drafts</source>
        <translation>本地草稿</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>在线服务</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>任何时间</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <source>Open job</source>
        <translation>打开任务</translation>
    </message>
    <message>
        <source>Bring the job&apos;s spec into the builder and its images into the gallery</source>
        <translation>把任务的规格载入构建器，图片显示在图库中</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Empty trash</source>
        <translation>清空回收站</translation>
    </message>
    <message>
        <source>Re-run</source>
        <translation>重新运行</translation>
    </message>
    <message>
        <source>Jobs that were interrupted, cancelled or failed</source>
        <translation>被中断、取消或失败的任务</translation>
    </message>
    <message>
        <source>Billed jobs only, at their actual cost where the service reported it</source>
        <translation>仅计入计费任务；服务报告了实际费用的按实际费用计</translation>
    </message>
    <message>
        <source>Delete image</source>
        <translation>删除图片</translation>
    </message>
    <message>
        <source>Favourite</source>
        <translation>收藏</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Spent today ≈ {today} · this month ≈ {month}</source>
        <translation>今日花费 ≈ {today} · 本月 ≈ {month}</translation>
    </message>
    <message>
        <source>{count} in the trash</source>
        <translation>回收站中 {count} 张</translation>
    </message>
    <message>
        <source>{count} images</source>
        <translation>{count} 张图片</translation>
    </message>
    <message>
        <source>Found in {ms} ms</source>
        <translation>用时 {ms} 毫秒</translation>
    </message>
    <message>
        <source>{title} — {status}, {missing} image(s) missing</source>
        <translation>{title} — {status}，缺 {missing} 张图片</translation>
    </message>
    <message>
        <source>Re-run ({count})</source>
        <translation>重新运行（{count}）</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
</context>
<context>
    <name>LibraryParts</name>
    <message>
        <source>References</source>
        <translation>参考图</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>图库</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Search the library</source>
        <translation>搜索图库</translation>
    </message>
    <message>
        <source>Paste image as reference</source>
        <translation>粘贴图片作为参考图</translation>
    </message>
    <message>
        <source>Select an image to export first.</source>
        <translation>请先选择要导出的图片。</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>The spec has unsaved changes. Discard them and open this one?</source>
        <translation>规格有未保存的更改。放弃这些更改并打开这个吗？</translation>
    </message>
    <message>
        <source>Add as references?</source>
        <translation>添加为参考图？</translation>
    </message>
    <message>
        <source>These images carry no studio spec. Add them as reference images?</source>
        <translation>这些图片不含工作室规格。要把它们添加为参考图吗？</translation>
    </message>
    <message>
        <source>Add as references</source>
        <translation>添加为参考图</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Builder</source>
        <translation>设计</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Variations</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Save As…</source>
        <translation>另存为…</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Cancel all</source>
        <translation>全部取消</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open Recent</source>
        <translation>最近打开</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>生成(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Image</source>
        <translation>图片(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Zi Studio spec (*.json);;Studio image (*.png *.webp *.jpg *.jpeg)</source>
        <translation>Zi Studio 设计文件 (*.json);;Studio 图片 (*.png *.webp *.jpg *.jpeg)</translation>
    </message>
    <message>
        <source>Open spec</source>
        <translation>打开设计文件</translation>
    </message>
    <message>
        <source>Save spec</source>
        <translation>保存设计文件</translation>
    </message>
    <message>
        <source>Zi Studio spec (*.json)</source>
        <translation>Zi Studio 设计文件 (*.json)</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>The spec has unsaved changes. Discard them?</source>
        <translation>设计文件有未保存的更改。要放弃这些更改吗？</translation>
    </message>
    <message>
        <source>Save the changes to the spec before closing?</source>
        <translation>关闭前要保存对设计文件的更改吗？</translation>
    </message>
    <message>
        <source>Layout</source>
        <translation>版式</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>表格行</translation>
    </message>
    <message>
        <source>Series</source>
        <translation>系列</translation>
    </message>
</context>
<context>
    <name>MaskCanvas</name>
    <message>
        <source>Select an image to paint a mask on it.</source>
        <translation>选择一张图像，在上面绘制蒙版。</translation>
    </message>
</context>
<context>
    <name>MaskModel</name>
    <message>
        <source>Erase</source>
        <translation>擦除</translation>
    </message>
    <message>
        <source>Brush stroke</source>
        <translation>画笔笔触</translation>
    </message>
    <message>
        <source>Rectangle</source>
        <translation>矩形</translation>
    </message>
    <message>
        <source>Lasso</source>
        <translation>套索</translation>
    </message>
    <message>
        <source>Invert mask</source>
        <translation>反转蒙版</translation>
    </message>
    <message>
        <source>Clear mask</source>
        <translation>清除蒙版</translation>
    </message>
    <message>
        <source>Import mask</source>
        <translation>导入蒙版</translation>
    </message>
</context>
<context>
    <name>MaskPainter</name>
    <message>
        <source>Brush</source>
        <translation>画笔</translation>
    </message>
    <message>
        <source>Eraser</source>
        <translation>橡皮擦</translation>
    </message>
    <message>
        <source>Rectangle</source>
        <translation>矩形</translation>
    </message>
    <message>
        <source>Lasso</source>
        <translation>套索</translation>
    </message>
    <message>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <source>Brush size in image pixels ([ smaller, ] larger)</source>
        <translation>画笔大小，以图像像素计（[ 缩小，] 放大）</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>Brush hardness: 100% has a sharp edge</source>
        <translation>画笔硬度：100% 边缘锐利</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Hardness</source>
        <translation>硬度</translation>
    </message>
    <message>
        <source>Invert mask</source>
        <translation>反转蒙版</translation>
    </message>
    <message>
        <source>Clear mask</source>
        <translation>清除蒙版</translation>
    </message>
    <message>
        <source>Show mask</source>
        <translation>显示蒙版</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Import mask…</source>
        <translation>导入蒙版…</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适合窗口</translation>
    </message>
    <message>
        <source>Import mask</source>
        <translation>导入蒙版</translation>
    </message>
    <message>
        <source>Mask images ({patterns});;All files (*)</source>
        <translation>蒙版图像 ({patterns});;所有文件 (*)</translation>
    </message>
    <message>
        <source>Reading the mask…</source>
        <translation>正在读取蒙版…</translation>
    </message>
    <message>
        <source>“{name}” leaves nothing for the model to change: it is opaque (or white) everywhere. A mask is transparent, or black, where the picture may change.</source>
        <translation>“{name}”没有留下任何可供模型修改的区域：它处处不透明（或为白色）。蒙版在允许修改画面的地方应为透明或黑色。</translation>
    </message>
    <message>
        <source>Imported “{name}”: it was {width}x{height} pixels and was scaled to the image&apos;s {image_width}x{image_height}.</source>
        <translation>已导入“{name}”：原为 {width}x{height} 像素，已缩放到图像的 {image_width}x{image_height}。</translation>
    </message>
    <message>
        <source>Imported “{name}”.</source>
        <translation>已导入“{name}”。</translation>
    </message>
    <message>
        <source>the file is empty</source>
        <translation>文件是空的</translation>
    </message>
    <message>
        <source>it is not an image file that can be read</source>
        <translation>它不是可以读取的图像文件</translation>
    </message>
    <message>
        <source>the file is damaged or incomplete</source>
        <translation>文件已损坏或不完整</translation>
    </message>
    <message>
        <source>the image is too large to read safely</source>
        <translation>图像太大，无法安全读取</translation>
    </message>
    <message>
        <source>the file cannot be read ({detail})</source>
        <translation>无法读取该文件（{detail}）</translation>
    </message>
    <message>
        <source>“{name}” cannot be used as a mask: {reason}. Choose an image file (PNG, WebP, JPEG…), transparent or black where the picture may change. The mask is unchanged.</source>
        <translation>“{name}”无法用作蒙版：{reason}。请选择一个图像文件（PNG、WebP、JPEG…），在允许修改画面的地方为透明或黑色。蒙版未改变。</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>, </source>
        <comment>between the items of a list</comment>
        <translation>，</translation>
    </message>
    <message>
        <source>price unknown</source>
        <translation>价格未知</translation>
    </message>
    <message>
        <source>The service refused the API key. Check the key in Settings.</source>
        <translation>服务拒绝了 API 密钥。请在“设置”中检查密钥。</translation>
    </message>
    <message>
        <source>The service&apos;s safety system blocked this request. Change the description or the texts and try again.</source>
        <translation>服务的安全系统拦截了此请求。请修改画面描述或文字后重试。</translation>
    </message>
    <message>
        <source>The service is busy or your quota is used up. Try again later.</source>
        <translation>服务繁忙或额度已用完。请稍后重试。</translation>
    </message>
    <message>
        <source>The service refused the request.</source>
        <translation>服务拒绝了此请求。</translation>
    </message>
    <message>
        <source>The service did not answer in time. Try again.</source>
        <translation>服务未及时响应。请重试。</translation>
    </message>
    <message>
        <source>Cannot reach the image service. Check the network.</source>
        <translation>无法连接图像服务。请检查网络。</translation>
    </message>
    <message>
        <source>The service failed. Try again later.</source>
        <translation>服务出错。请稍后重试。</translation>
    </message>
    <message>
        <source>These settings cannot be sent.</source>
        <translation>无法按这些参数发送请求。</translation>
    </message>
    <message>
        <source>An image could not be saved; what was saved is kept.</source>
        <translation>有图片无法保存；已保存的内容会保留。</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>The service sent fewer images than asked for.</source>
        <translation>服务返回的图片少于请求的数量。</translation>
    </message>
    <message>
        <source>The job stopped unexpectedly.</source>
        <translation>任务意外中止。</translation>
    </message>
    <message>
        <source>Something went wrong.</source>
        <translation>出了点问题。</translation>
    </message>
    <message>
        <source>The file could not be opened.</source>
        <translation>无法打开该文件。</translation>
    </message>
    <message>
        <source>The spec could not be saved.</source>
        <translation>无法保存设计文件。</translation>
    </message>
    <message>
        <source>The spec could not be autosaved.</source>
        <translation>无法自动保存设计文件。</translation>
    </message>
    <message>
        <source>Restored the spec you were working on before the studio closed.</source>
        <translation>已恢复上次关闭前正在编辑的设计文件。</translation>
    </message>
    <message>
        <source>No API key is set: images are local drafts made on this computer, at no cost.</source>
        <translation>未设置 API 密钥：图片为本机生成的本地草稿，不产生费用。</translation>
    </message>
    <message>
        <source>The image engine could not start.</source>
        <translation>图像引擎无法启动。</translation>
    </message>
    <message>
        <source>The library could not be opened.</source>
        <translation>无法打开图库。</translation>
    </message>
    <message>
        <source>Jobs interrupted earlier were found; their images are kept.</source>
        <translation>发现之前中断的任务；其中的图片已保留。</translation>
    </message>
    <message>
        <source>The image file is missing.</source>
        <translation>图片文件不存在。</translation>
    </message>
    <message>
        <source>Some settings could not be read and went back to their defaults.</source>
        <translation>部分设置无法读取，已恢复为默认值。</translation>
    </message>
    <message>
        <source>The settings could not be saved. They stay in use until the studio closes: free some disk space, then change a setting to save again.</source>
        <translation>无法保存设置。在关闭 Zi Studio 之前，这些设置仍然有效：请释放一些磁盘空间，然后修改任一设置以再次保存。</translation>
    </message>
    <message>
        <source>Not sent: this job is estimated at {usd}, over your spending cap of {cap}. Lower the variations, quality or size, or raise the cap in Settings.</source>
        <translation>未发送：此任务预估 {usd}，超过了你设置的花费上限 {cap}。请减少数量、降低质量或尺寸，或在“设置”中提高上限。</translation>
    </message>
    <message>
        <source>Not sent: no price is known for {model}, so the spending cap cannot be checked.</source>
        <translation>未发送：{model} 的价格未知，无法检查花费上限。</translation>
    </message>
    <message>
        <source>Not sent: this job is estimated at {usd}, and {spent} is already spent this month: that would pass your monthly budget of {budget}. Raise the budget in Settings, or use the local engine.</source>
        <translation>未发送：此任务预估 {usd}，本月已花费 {spent}，将超出每月预算 {budget}。请在设置中提高预算，或使用本地引擎。</translation>
    </message>
    <message>
        <source>Not sent: no price is known for {model}, so the monthly budget cannot be checked.</source>
        <translation>未发送：{model} 没有已知价格，无法核对每月预算。</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Open settings</source>
        <translation>打开设置</translation>
    </message>
    <message>
        <source>Use the local engine</source>
        <translation>使用本地引擎</translation>
    </message>
    <message>
        <source>{ratio} is outside the allowed ratios, 1:3 to 3:1.</source>
        <translation>{ratio} 超出了允许的比例范围（1:3 到 3:1）。</translation>
    </message>
    <message>
        <source>Write the ratio as W:H, for example 3:4.</source>
        <translation>请按 宽:高 填写比例，例如 3:4。</translation>
    </message>
    <message>
        <source>Write the size as WIDTHxHEIGHT, for example 1024x1536.</source>
        <translation>请按 宽x高 填写尺寸，例如 1024x1536。</translation>
    </message>
    <message>
        <source>Both sides must be greater than zero.</source>
        <translation>宽和高都必须大于 0。</translation>
    </message>
    <message>
        <source>Both sides must be multiples of 16.</source>
        <translation>宽和高都必须是 16 的倍数。</translation>
    </message>
    <message>
        <source>The ratio must be between 1:3 and 3:1.</source>
        <translation>比例必须在 1:3 到 3:1 之间。</translation>
    </message>
    <message>
        <source>The long edge can be at most 3840 pixels.</source>
        <translation>长边最多 3840 像素。</translation>
    </message>
    <message>
        <source>Too small: at least 655,360 pixels.</source>
        <translation>太小：至少需要 655,360 像素。</translation>
    </message>
    <message>
        <source>Too large: at most 8,294,400 pixels.</source>
        <translation>太大：最多 8,294,400 像素。</translation>
    </message>
    <message>
        <source>This size is not accepted.</source>
        <translation>不支持此尺寸。</translation>
    </message>
    <message>
        <source>{length} characters: long texts come out wrong more often. Split it into shorter blocks.</source>
        <translation>共 {length} 个字：文字越长越容易出错。请拆分成较短的文字块。</translation>
    </message>
    <message>
        <source>Empty: type the exact text, or remove this block.</source>
        <translation>为空：请输入准确的文字，或删除此文字块。</translation>
    </message>
    <message>
        <source>Landscape 16:9</source>
        <translation>横版 16:9</translation>
    </message>
    <message>
        <source>Banner 3:1</source>
        <translation>横幅 3:1</translation>
    </message>
    <message>
        <source>A4 poster 1:1.414</source>
        <translation>A4 海报 1:1.414</translation>
    </message>
    <message>
        <source>Headline</source>
        <translation>主标题</translation>
    </message>
    <message>
        <source>Subhead</source>
        <translation>副标题</translation>
    </message>
    <message>
        <source>Body</source>
        <translation>正文</translation>
    </message>
    <message>
        <source>Caption</source>
        <translation>说明文字</translation>
    </message>
    <message>
        <source>Button</source>
        <translation>按钮</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>arriving</source>
        <translation>接收中</translation>
    </message>
    <message>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>extra high</source>
        <translation>超高</translation>
    </message>
    <message>
        <source>maximum</source>
        <translation>最高</translation>
    </message>
    <message>
        <source>opaque</source>
        <translation>不透明</translation>
    </message>
    <message>
        <source>transparent</source>
        <translation>透明</translation>
    </message>
    <message>
        <source>The text of an image could not be checked.</source>
        <translation>无法核对图片中的文字。</translation>
    </message>
    <message>
        <source>The text could not be fixed.</source>
        <translation>无法修正文字。</translation>
    </message>
    <message>
        <source>This row&apos;s images were not made.</source>
        <translation>这一行的图片没有生成。</translation>
    </message>
</context>
<context>
    <name>PriceTableModel</name>
    <message>
        <source>yours</source>
        <translation>您的</translation>
    </message>
    <message>
        <source>built-in</source>
        <translation>内置</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Text in</source>
        <translation>文字输入</translation>
    </message>
    <message>
        <source>Image in</source>
        <translation>图片输入</translation>
    </message>
    <message>
        <source>Image out</source>
        <translation>图片输出</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
</context>
<context>
    <name>RatioPicker</name>
    <message>
        <source>Canvas ratio {ratio}</source>
        <translation>画布比例 {ratio}</translation>
    </message>
    <message>
        <source>W:H</source>
        <translation>宽:高</translation>
    </message>
    <message>
        <source>Any ratio from 1:3 to 3:1, for example 5:4</source>
        <translation>1:3 到 3:1 之间的任意比例，例如 5:4</translation>
    </message>
    <message>
        <source>exact size</source>
        <translation>精确尺寸</translation>
    </message>
    <message>
        <source>The long edge: 1k = 1024, 2k = 2048, 4k = 3840 pixels</source>
        <translation>长边：1k = 1024，2k = 2048，4k = 3840 像素</translation>
    </message>
    <message>
        <source>WIDTHxHEIGHT</source>
        <translation>宽x高</translation>
    </message>
    <message>
        <source>Ratio</source>
        <translation>比例</translation>
    </message>
    <message>
        <source>The service picks the size.</source>
        <translation>由服务决定尺寸。</translation>
    </message>
    <message>
        <source>Not accepted</source>
        <translation>不可用</translation>
    </message>
    <message>
        <source>Experimental: above 2560x1440 the service is less reliable.</source>
        <translation>实验性：超过 2560x1440 时，服务不太稳定。</translation>
    </message>
    <message>
        <source>Use {size}</source>
        <translation>改用 {size}</translation>
    </message>
</context>
<context>
    <name>References</name>
    <message>
        <source>turned upright as its camera orientation says</source>
        <translation>已按相机方向信息摆正</translation>
    </message>
    <message>
        <source>the file is not there any more</source>
        <translation>文件已不存在</translation>
    </message>
    <message>
        <source>a folder, not an image</source>
        <translation>是文件夹，不是图片</translation>
    </message>
    <message>
        <source>the file is empty</source>
        <translation>文件是空的</translation>
    </message>
    <message>
        <source>not an image the studio can read; use a PNG, WebP or JPEG file</source>
        <translation>不是工作室能读取的图片；请使用 PNG、WebP 或 JPEG 文件</translation>
    </message>
    <message>
        <source>the image is damaged; export it again</source>
        <translation>图片已损坏；请重新导出</translation>
    </message>
    <message>
        <source>converted from {depth}{mode} to 8-bit {to}</source>
        <translation>已从 {depth}{mode} 转换为 8 位 {to}</translation>
    </message>
    <message>
        <source>animated ({frames} frames): its first frame is used</source>
        <translation>动图（{frames} 帧）：使用第一帧</translation>
    </message>
    <message>
        <source>scaled down from {w}x{h} to {tw}x{th} (too many pixels)</source>
        <translation>已从 {w}x{h} 缩小到 {tw}x{th}（像素过多）</translation>
    </message>
    <message>
        <source>scaled down from {w}x{h} to {tw}x{th} (over 50 MB)</source>
        <translation>已从 {w}x{h} 缩小到 {tw}x{th}（超过 50 MB）</translation>
    </message>
    <message>
        <source>converted from {source} to {to}</source>
        <translation>已从 {source} 转换为 {to}</translation>
    </message>
    <message>
        <source>cannot be read ({reason})</source>
        <translation>无法读取（{reason}）</translation>
    </message>
    <message>
        <source>larger than {limit} MB; export it smaller</source>
        <translation>超过 {limit} MB；请导出更小的文件</translation>
    </message>
    <message>
        <source>too large: more than {pixels} pixels; export it smaller</source>
        <translation>太大：超过 {pixels} 像素；请导出更小的图片</translation>
    </message>
    <message>
        <source>refused: at most {limit} references beside the image being edited; remove one first</source>
        <translation>未接受：编辑图片时最多 {limit} 张参考图；请先移除一张</translation>
    </message>
    <message>
        <source>refused: at most {limit} references; remove one first</source>
        <translation>未接受：最多 {limit} 张参考图；请先移除一张</translation>
    </message>
    <message>
        <source>{name}: not added, only a link to the web came; save the image, then drop the file</source>
        <translation>{name}：未添加，只收到网页链接；请先保存图片，再拖入文件</translation>
    </message>
    <message>
        <source>{name}: not added, {why}</source>
        <translation>{name}：未添加，{why}</translation>
    </message>
    <message>
        <source>{name}: added as it is</source>
        <translation>{name}：已按原样添加</translation>
    </message>
    <message>
        <source>{name}: added, {done}</source>
        <translation>{name}：已添加，{done}</translation>
    </message>
    <message>
        <source>{count} reference image(s) add about {low}–{high} input tokens (no formula is published: low detail to full detail), so the estimate is a range.</source>
        <translation>{count} 张参考图约增加 {low}–{high} 个输入 token（官方未公布计算方法：从低细节到完整细节），因此估价是一个范围。</translation>
    </message>
    <message>
        <source>The range spans {usd}.</source>
        <translation>范围相差 {usd}。</translation>
    </message>
    <message>
        <source>dropped image</source>
        <translation>拖入的图片</translation>
    </message>
</context>
<context>
    <name>ReferencesPanel</name>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Add reference images; you can also drop files or images here, or paste one</source>
        <translation>添加参考图；也可以把文件或图片拖到这里，或直接粘贴</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Remove reference</source>
        <translation>移除参考图</translation>
    </message>
    <message>
        <source>The clipboard holds no image to paste.</source>
        <translation>剪贴板中没有可粘贴的图片。</translation>
    </message>
    <message>
        <source>Add reference images</source>
        <translation>添加参考图</translation>
    </message>
    <message>
        <source>Images ({patterns})</source>
        <translation>图片（{patterns}）</translation>
    </message>
    <message>
        <source>{count} images added as they are</source>
        <translation>{count} 张图片已按原样添加</translation>
    </message>
    <message>
        <source>{count} of {limit}</source>
        <translation>{count} / {limit}</translation>
    </message>
    <message>
        <source>converting…</source>
        <translation>正在转换…</translation>
    </message>
</context>
<context>
    <name>SeriesPanel</name>
    <message>
        <source>waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>making…</source>
        <translation>生成中…</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Open series…</source>
        <translation>打开系列…</translation>
    </message>
    <message>
        <source>A spec with 2 to 16 shots</source>
        <translation>含 2 到 16 个镜头的规格</translation>
    </message>
    <message>
        <source>Make series</source>
        <translation>生成系列</translation>
    </message>
    <message>
        <source>Make shot again</source>
        <translation>重新生成此镜头</translation>
    </message>
    <message>
        <source>The selected shot alone, from the same reference</source>
        <translation>只重新生成选中的镜头，沿用同一张参考图</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>The shots as numbered files, in order</source>
        <translation>按顺序导出为编号文件</translation>
    </message>
    <message>
        <source>Open series</source>
        <translation>打开系列</translation>
    </message>
    <message>
        <source>Specs (*.json)</source>
        <translation>规格文件 (*.json)</translation>
    </message>
    <message>
        <source>Export series</source>
        <translation>导出系列</translation>
    </message>
    <message>
        <source>each shot after the first carries the previous one</source>
        <translation>第一张之后的每张都以上一张为参考</translation>
    </message>
    <message>
        <source>each shot after the first carries the first</source>
        <translation>第一张之后的每张都以第一张为参考</translation>
    </message>
    <message>
        <source>No series loaded</source>
        <translation>未载入系列</translation>
    </message>
</context>
<context>
    <name>ServiceProfile</name>
    <message>
        <source>Streaming</source>
        <translation>流式传输</translation>
    </message>
    <message>
        <source>Partial images (previews)</source>
        <translation>预览图（partial images）</translation>
    </message>
    <message>
        <source>Edits (/images/edits)</source>
        <translation>编辑（/images/edits）</translation>
    </message>
    <message>
        <source>Masks</source>
        <translation>蒙版</translation>
    </message>
    <message>
        <source>Transparent backgrounds</source>
        <translation>透明背景</translation>
    </message>
    <message>
        <source>Several images per request (n &gt; 1)</source>
        <translation>一次请求多张图（n &gt; 1）</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>支持</translation>
    </message>
    <message>
        <source>no</source>
        <translation>不支持</translation>
    </message>
    <message>
        <source>not tried yet</source>
        <translation>尚未试过</translation>
    </message>
</context>
<context>
    <name>ServiceProfileModel</name>
    <message>
        <source>What the service does</source>
        <translation>服务的功能</translation>
    </message>
    <message>
        <source>Seen</source>
        <translation>结果</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>引擎</translation>
    </message>
    <message>
        <source>Embedded engine: local layout drafts, no cost</source>
        <translation>内置引擎：本地排版草稿，不产生费用</translation>
    </message>
    <message>
        <source>OpenAI</source>
        <translation>OpenAI</translation>
    </message>
    <message>
        <source>Custom OpenAI-compatible service</source>
        <translation>自定义的 OpenAI 兼容服务</translation>
    </message>
    <message>
        <source>Base URL:</source>
        <translation>基础 URL：</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Key:</source>
        <translation>密钥：</translation>
    </message>
    <message>
        <source>Store key</source>
        <translation>保存密钥</translation>
    </message>
    <message>
        <source>Remove key</source>
        <translation>移除密钥</translation>
    </message>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>Service and prices</source>
        <translation>服务与价格</translation>
    </message>
    <message>
        <source>Paste a new key</source>
        <translation>粘贴新的密钥</translation>
    </message>
    <message>
        <source>It is kept in the system keyring, never in a file.</source>
        <translation>密钥保存在系统钥匙串中，不会写入任何文件。</translation>
    </message>
    <message>
        <source>New key:</source>
        <translation>新密钥：</translation>
    </message>
    <message>
        <source>Generation</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Default model:</source>
        <translation>默认模型：</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Timeout:</source>
        <translation>超时：</translation>
    </message>
    <message>
        <source>Retries:</source>
        <translation>重试次数：</translation>
    </message>
    <message>
        <source>Jobs at once:</source>
        <translation>同时运行的任务数：</translation>
    </message>
    <message>
        <source>No cap</source>
        <translation>不设上限</translation>
    </message>
    <message>
        <source>The most one generation may cost, in US dollars.</source>
        <translation>单次生成最多可花费的金额（美元）。</translation>
    </message>
    <message>
        <source>Spending cap (US$ per generation):</source>
        <translation>花费上限（每次生成，美元）：</translation>
    </message>
    <message>
        <source>No budget</source>
        <translation>不设预算</translation>
    </message>
    <message>
        <source>The most a calendar month may cost, in US dollars: a job that would pass it is stopped before it is sent.</source>
        <translation>一个自然月最多可花费的金额（美元）：会超出的任务在发送前即被拦下。</translation>
    </message>
    <message>
        <source>Monthly budget (US$):</source>
        <translation>每月预算（美元）：</translation>
    </message>
    <message>
        <source>Read the text back after each image is made</source>
        <translation>每张图片生成后回读检查文字</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>语言：</translation>
    </message>
    <message>
        <source>A new language is used the next time Zi Studio starts.</source>
        <translation>新语言将在下次启动 Zi Studio 时生效。</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Theme:</source>
        <translation>主题：</translation>
    </message>
    <message>
        <source>What the service can do</source>
        <translation>服务能做什么</translation>
    </message>
    <message>
        <source>Forget what was learned</source>
        <translation>忘记已了解的信息</translation>
    </message>
    <message>
        <source>After the service changed: the next request tries everything again.</source>
        <translation>服务有变化时使用：下次请求会重新尝试所有功能。</translation>
    </message>
    <message>
        <source>Prices (US$ per 1M tokens)</source>
        <translation>价格（美元 / 每百万 token）</translation>
    </message>
    <message>
        <source>Estimates and costs use these. Published prices differ between sources: double-click a price to use your own.</source>
        <translation>估价和费用按这些价格计算。各来源公布的价格不一致：双击某个价格即可改用您自己的价格。</translation>
    </message>
    <message>
        <source>Use the built-in prices</source>
        <translation>使用内置价格</translation>
    </message>
    <message>
        <source>Enter an amount in US dollars, like 0.50, or leave it empty for no cap.</source>
        <translation>请输入美元金额，例如 0.50；留空表示不设上限。</translation>
    </message>
    <message>
        <source>Enter an amount in US dollars, like 20, or leave it empty for no budget.</source>
        <translation>请输入美元金额，例如 20；留空表示不设预算。</translation>
    </message>
    <message>
        <source>The embedded engine does all of these.</source>
        <translation>内置引擎支持以上全部功能。</translation>
    </message>
    <message>
        <source>Learned from the answers of {url}:</source>
        <translation>根据 {url} 的回复了解到：</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <source>Stored in the system keyring (never shown).</source>
        <translation>已保存在系统钥匙串中（不会显示）。</translation>
    </message>
    <message>
        <source>From the OPENAI_API_KEY environment variable; it is used before a stored key.</source>
        <translation>来自环境变量 OPENAI_API_KEY，优先于已保存的密钥。</translation>
    </message>
    <message>
        <source>None: without a key, the embedded engine makes local drafts.</source>
        <translation>无：没有密钥时，由内置引擎生成本地草稿。</translation>
    </message>
    <message>
        <source>Looking in the system keyring…</source>
        <translation>正在查看系统钥匙串…</translation>
    </message>
</context>
<context>
    <name>SettingsProblem</name>
    <message>
        <source>This value is not allowed.</source>
        <translation>不允许此值。</translation>
    </message>
    <message>
        <source>Choose one of: {0}.</source>
        <translation>请从以下选项中选择：{0}。</translation>
    </message>
    <message>
        <source>Enter at least {0}.</source>
        <translation>请输入不小于 {0} 的值。</translation>
    </message>
    <message>
        <source>Enter at most {0}.</source>
        <translation>请输入不大于 {0} 的值。</translation>
    </message>
    <message>
        <source>This cannot be empty.</source>
        <translation>此项不能为空。</translation>
    </message>
    <message>
        <source>Enter a base URL like https://host/v1.</source>
        <translation>请输入类似 https://host/v1 的基础 URL。</translation>
    </message>
    <message>
        <source>This base URL cannot be read: enter one like https://host/v1.</source>
        <translation>无法识别此基础 URL：请输入类似 https://host/v1 的地址。</translation>
    </message>
    <message>
        <source>Leave the user name and password out of the URL: enter the API key below instead.</source>
        <translation>请不要在 URL 中包含用户名和密码：请在下方填写 API 密钥。</translation>
    </message>
    <message>
        <source>A service on another computer needs https://, so the API key is not sent openly.</source>
        <translation>其他电脑上的服务必须使用 https://，以免 API 密钥以明文发送。</translation>
    </message>
    <message>
        <source>Enter the base URL of the custom service.</source>
        <translation>请输入自定义服务的基础 URL。</translation>
    </message>
</context>
<context>
    <name>StudioStatusBar</name>
    <message>
        <source>Engine: starting…</source>
        <translation>引擎：正在启动…</translation>
    </message>
    <message>
        <source>Engine: local drafts</source>
        <translation>引擎：本地草稿</translation>
    </message>
    <message>
        <source>Engine: local drafts (no API key)</source>
        <translation>引擎：本地草稿（无 API 密钥）</translation>
    </message>
    <message>
        <source>Engine: OpenAI</source>
        <translation>引擎：OpenAI</translation>
    </message>
    <message>
        <source>Engine: {host}</source>
        <translation>引擎：{host}</translation>
    </message>
    <message>
        <source>Session: ≈ {estimated} estimated / {actual} actual</source>
        <translation>本次：预估 ≈ {estimated} / 实际 {actual}</translation>
    </message>
    <message>
        <source>{count} job(s) running or queued</source>
        <translation>{count} 个任务正在运行或排队</translation>
    </message>
</context>
<context>
    <name>TextBlocksEditor</name>
    <message>
        <source>Add text</source>
        <translation>添加文字</translation>
    </message>
    <message>
        <source>Add a text block (Ctrl+Shift+Enter)</source>
        <translation>添加一个文字块（Ctrl+Shift+Enter）</translation>
    </message>
</context>
<context>
    <name>TileDelegate</name>
    <message>
        <source>local draft</source>
        <translation>本地草稿</translation>
    </message>
    <message>
        <source>arriving… preview {count}</source>
        <translation>接收中… 预览 {count}</translation>
    </message>
    <message>
        <source>Variation {number}</source>
        <translation>变体 {number}</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>核对中…</translation>
    </message>
    <message>
        <source>not checked</source>
        <translation>未核对</translation>
    </message>
    <message>
        <source>✓ exact</source>
        <translation>✓ 准确</translation>
    </message>
    <message>
        <source>1 character off</source>
        <translation>错 1 个字</translation>
    </message>
    <message>
        <source>{count} characters off</source>
        <translation>错 {count} 个字</translation>
    </message>
    <message>
        <source>exact: {text}</source>
        <translation>准确：{text}</translation>
    </message>
    <message>
        <source>not found: {text}</source>
        <translation>未找到：{text}</translation>
    </message>
    <message>
        <source>{text} — read as {found}</source>
        <translation>{text} — 识别为 {found}</translation>
    </message>
    <message>
        <source>Text check: {badge}</source>
        <translation>文字核对：{badge}</translation>
    </message>
    <message>
        <source>row {number}</source>
        <translation>第 {number} 行</translation>
    </message>
</context>
<context>
    <name>TurnDelegate</name>
    <message>
        <source>Replace text: {change}</source>
        <translation>替换文字：{change}</translation>
    </message>
    <message>
        <source>Finalize: {how}</source>
        <translation>定稿：{how}</translation>
    </message>
    <message>
        <source>on {version}</source>
        <translation>基于 {version}</translation>
    </message>
    <message>
        <source>{source} · sending…</source>
        <translation>{source} · 发送中…</translation>
    </message>
    <message>
        <source>local draft, no cost</source>
        <translation>本地草稿，免费</translation>
    </message>
    <message>
        <source>≈ {estimate} est., {actual} actual</source>
        <translation>预估 ≈ {estimate}，实际 {actual}</translation>
    </message>
    <message>
        <source>the model had changed {pct}% outside the mask (pasted back)</source>
        <translation>模型改动了蒙版外 {pct}% 的像素（已放回原图）</translation>
    </message>
    <message>
        <source>cancelled, {count} version(s) kept</source>
        <translation>已取消，保留 {count} 个版本</translation>
    </message>
    <message>
        <source>cancelled before a version arrived</source>
        <translation>已取消，尚未收到任何版本</translation>
    </message>
    <message>
        <source>interrupted when the studio closed, {count} version(s) kept</source>
        <translation>工作室关闭时中断，保留 {count} 个版本</translation>
    </message>
    <message>
        <source>interrupted when the studio closed; nothing was made</source>
        <translation>工作室关闭时中断，未生成任何内容</translation>
    </message>
    <message>
        <source>{actual} spent so far</source>
        <translation>目前已花费 {actual}</translation>
    </message>
    <message>
        <source>Text set again — {what}</source>
        <translation>文字重新排版 — {what}</translation>
    </message>
    <message>
        <source>no cost</source>
        <translation>免费</translation>
    </message>
</context>
<context>
    <name>TypographyBar</name>
    <message>
        <source>The font family</source>
        <translation>字体</translation>
    </message>
    <message>
        <source>Auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>The font weight</source>
        <translation>字重</translation>
    </message>
    <message>
        <source>Thin</source>
        <translation>极细</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>细体</translation>
    </message>
    <message>
        <source>Regular</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>中等</translation>
    </message>
    <message>
        <source>Bold</source>
        <translation>粗体</translation>
    </message>
    <message>
        <source>Black</source>
        <translation>特粗</translation>
    </message>
    <message>
        <source>How the lines align in the box</source>
        <translation>文字在框内的对齐方式</translation>
    </message>
    <message>
        <source>Left</source>
        <translation>左对齐</translation>
    </message>
    <message>
        <source>Centre</source>
        <translation>居中</translation>
    </message>
    <message>
        <source>Right</source>
        <translation>右对齐</translation>
    </message>
    <message>
        <source>Colour…</source>
        <translation>颜色…</translation>
    </message>
    <message>
        <source>The text colour (Auto: dark or light, by the background)</source>
        <translation>文字颜色（自动：按背景选深色或浅色）</translation>
    </message>
    <message>
        <source>Dark or light text, by the background</source>
        <translation>按背景自动选深色或浅色文字</translation>
    </message>
    <message>
        <source>Vertical</source>
        <translation>竖排</translation>
    </message>
    <message>
        <source>Set in columns, right to left (竖排)</source>
        <translation>竖排：从右到左分列排版</translation>
    </message>
    <message>
        <source>Outline</source>
        <translation>描边</translation>
    </message>
    <message>
        <source>Shadow</source>
        <translation>阴影</translation>
    </message>
    <message>
        <source>Extra space between characters, in ems</source>
        <translation>字间距（单位：em）</translation>
    </message>
    <message>
        <source>The line pitch, times the size</source>
        <translation>行距，为字号的倍数</translation>
    </message>
    <message>
        <source>Font</source>
        <translation>字体</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>字重</translation>
    </message>
    <message>
        <source>Align</source>
        <translation>对齐</translation>
    </message>
    <message>
        <source>Tracking</source>
        <translation>字距</translation>
    </message>
    <message>
        <source>Line height</source>
        <translation>行高</translation>
    </message>
    <message>
        <source>Text colour</source>
        <translation>文字颜色</translation>
    </message>
    <message>
        <source>Select a box to change its look</source>
        <translation>选中一个文字框即可更改样式</translation>
    </message>
    <message>
        <source>Text {0}</source>
        <translation>文字 {0}</translation>
    </message>
</context>
<context>
    <name>VersionComparePage</name>
    <message>
        <source>Select two images to compare them here.</source>
        <translation>选择两张图片，在这里对比。</translation>
    </message>
    <message>
        <source>Side by side</source>
        <translation>并排</translation>
    </message>
    <message>
        <source>Swipe</source>
        <translation>滑动对比</translation>
    </message>
</context>
<context>
    <name>VersionTreeView</name>
    <message>
        <source>Continue from here</source>
        <translation>从此版本继续</translation>
    </message>
    <message>
        <source>Make this version current: the next edit starts from it (a new branch)</source>
        <translation>将此版本设为当前版本：下一次编辑从它开始（新分支）</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Go back to this version: it becomes the current one; nothing is deleted</source>
        <translation>回到此版本：它成为当前版本，不会删除任何内容</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <source>Compare the two selected versions, or the selected one with the current</source>
        <translation>对比所选的两个版本，或所选版本与当前版本</translation>
    </message>
</context>
<context>
    <name>_BlockRow</name>
    <message>
        <source>Role of text {number}</source>
        <translation>文字 {number} 的角色</translation>
    </message>
    <message>
        <source>The exact text, as it must appear</source>
        <translation>准确的文字，须与图中完全一致</translation>
    </message>
    <message>
        <source>Move up (Alt+Up)</source>
        <translation>上移（Alt+Up）</translation>
    </message>
    <message>
        <source>Move down (Alt+Down)</source>
        <translation>下移（Alt+Down）</translation>
    </message>
    <message>
        <source>Remove (Ctrl+Shift+Delete)</source>
        <translation>删除（Ctrl+Shift+Delete）</translation>
    </message>
</context>
<context>
    <name>_Grip</name>
    <message>
        <source>Drag to move this text (or Alt+Up / Alt+Down)</source>
        <translation>拖动以移动这段文字（或按 Alt+↑ / Alt+↓）</translation>
    </message>
</context>
<context>
    <name>gallery</name>
    <message>
        <source>Discard image</source>
        <translation>丢弃图片</translation>
    </message>
</context>
</TS>
